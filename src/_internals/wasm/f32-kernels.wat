;; Single-precision (f32x4) WebAssembly SIMD kernels of the opt-in float32 path of MMR and DPP
;; (`precision: 'float32'`; src/strategies/post/mmr-f32.ts and dpp-f32.ts, driven through
;; src/_internals/wasm/f32-workspace.ts). Source of src/_internals/wasm/f32-kernels-binary.ts:
;; edit this file, then `npm run build:wasm`.
;;
;; Rows e_i and DPP basis parts b_u are f32; every other array is f64. Every dot product is $dot32:
;; two f32x4 partial sums over blocks of eight, a last block of four into the first, the lanes of
;; their sum added as (l0 + l1) + (l2 + l3), then the scalar tail, all in f32 with no fused
;; multiply-add. The rest (MMR maxima, DPP projections p = f64(dot) + c_u, residuals ρ −= p², gains
;; g = w·ρ) is f64. src/_internals/f32/dot32.ts performs the same IEEE operations in the same order,
;; so the JS fallback is bit-identical. Pointers are byte offsets into the exported memory.
(module
  (memory (export "memory") 1)

  (global $n (mut i32) (i32.const 0))        ;; candidates
  (global $d (mut i32) (i32.const 0))        ;; embedding dimension
  (global $emb (mut i32) (i32.const 0))      ;; n × d f32 unit rows e_i, row-major
  (global $picks (mut i32) (i32.const 0))    ;; MMR: k i32 candidate indices, in pick order
  (global $basis (mut i32) (i32.const 0))    ;; DPP: k × d f32 basis parts b_u, row-major
  (global $offset (mut i32) (i32.const 0))   ;; DPP: k constant parts c_u
  (global $proj (mut i32) (i32.const 0))     ;; DPP: k × n projections p[u][i], row-major by u
  (global $residual (mut i32) (i32.const 0)) ;; DPP: n residuals ρ_i
  (global $weight (mut i32) (i32.const 0))   ;; DPP: n weights w_i (squared qualities)
  (global $gain (mut i32) (i32.const 0))     ;; DPP: n gains g_i = w_i·ρ_i
  (global $taken (mut i32) (i32.const 0))    ;; DPP: n bytes, non-zero once candidate i is picked
  (global $unitB (mut i32) (i32.const 0))    ;; DPP: k × d e-parts of the unit basis vectors (f64)
  (global $unitC (mut i32) (i32.const 0))    ;; DPP: k constant parts of the unit basis vectors
  (global $work (mut i32) (i32.const 0))     ;; DPP: d f64 scratch values

  (func (export "f32Configure")
    (param $n i32) (param $d i32) (param $emb i32) (param $picks i32) (param $basis i32)
    (param $offset i32) (param $proj i32) (param $residual i32) (param $weight i32) (param $gain i32)
    (param $taken i32)
    (global.set $n (local.get $n))
    (global.set $d (local.get $d))
    (global.set $emb (local.get $emb))
    (global.set $picks (local.get $picks))
    (global.set $basis (local.get $basis))
    (global.set $offset (local.get $offset))
    (global.set $proj (local.get $proj))
    (global.set $residual (local.get $residual))
    (global.set $weight (local.get $weight))
    (global.set $gain (local.get $gain))
    (global.set $taken (local.get $taken)))

  (func (export "f32DppConfigure") (param $unitB i32) (param $unitC i32) (param $work i32)
    (global.set $unitB (local.get $unitB))
    (global.set $unitC (local.get $unitC))
    (global.set $work (local.get $work)))

  ;; DPP: makes candidate s basis vector t by classical Gram–Schmidt in f64: r = w_s − Σ_{u<t}
  ;; p[u][s]·q_u with w_s = [1, e_s]/√2 (constant part first; elementwise, so f64x2 changes no
  ;; rounding), ‖r‖² = r_c² + Σ_x r_x² summed left to right, q_t = r·(1/‖r‖). Stores the unit q_t
  ;; (unitC, unitB) and the 1/√2-scaled copy the projections use: offset[t] = q_t[0]·(1/√2) in f64,
  ;; basis[t] = f32(q_t[1..]·(1/√2)). d must be even or the last entry is handled alone.
  (func (export "addPick") (param $t i32) (param $s i32)
    (local $x i32) (local $u i32) (local $end i32) (local $pairs i32) (local $row i32) (local $b i32)
    (local $p f64) (local $pv v128) (local $rc f64) (local $norm f64) (local $v f64) (local $inv f64)
    (local.set $end (i32.shl (global.get $d) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (global.get $d) (i32.const -2)) (i32.const 3)))
    (local.set $row (call $row (local.get $s)))
    (block $done (loop $copy
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (f64.store (i32.add (global.get $work) (local.get $x))
        (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shr_u (local.get $x) (i32.const 1))))) (f64.const 0x1.6a09e667f3bcdp-1)))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br $copy)))
    (local.set $rc (f64.const 0x1.6a09e667f3bcdp-1))
    (block $done (loop $each
      (br_if $done (i32.ge_s (local.get $u) (local.get $t)))
      (local.set $p (f64.load (i32.add (global.get $proj) (i32.shl (i32.add (i32.mul (local.get $u) (global.get $n)) (local.get $s)) (i32.const 3)))))
      (local.set $rc (f64.sub (local.get $rc) (f64.mul (local.get $p) (f64.load (i32.add (global.get $unitC) (i32.shl (local.get $u) (i32.const 3)))))))
      (local.set $pv (f64x2.splat (local.get $p)))
      (local.set $b (i32.add (global.get $unitB) (i32.mul (local.get $u) (local.get $end))))
      (local.set $x (i32.const 0))
      (block $pairsDone (loop $pair
        (br_if $pairsDone (i32.ge_u (local.get $x) (local.get $pairs)))
        (v128.store (i32.add (global.get $work) (local.get $x))
          (f64x2.sub (v128.load (i32.add (global.get $work) (local.get $x)))
            (f64x2.mul (local.get $pv) (v128.load (i32.add (local.get $b) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $pair)))
      (if (i32.lt_u (local.get $x) (local.get $end))
        (then (f64.store (i32.add (global.get $work) (local.get $x))
          (f64.sub (f64.load (i32.add (global.get $work) (local.get $x)))
            (f64.mul (local.get $p) (f64.load (i32.add (local.get $b) (local.get $x))))))))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br $each)))
    (local.set $norm (f64.mul (local.get $rc) (local.get $rc)))
    (local.set $x (i32.const 0))
    (block $done (loop $sum
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (f64.load (i32.add (global.get $work) (local.get $x))))
      (local.set $norm (f64.add (local.get $norm) (f64.mul (local.get $v) (local.get $v))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br $sum)))
    (local.set $inv (f64.div (f64.const 1) (f64.sqrt (local.get $norm))))
    (local.set $v (f64.mul (local.get $rc) (local.get $inv)))
    (f64.store (i32.add (global.get $unitC) (i32.shl (local.get $t) (i32.const 3))) (local.get $v))
    (f64.store (i32.add (global.get $offset) (i32.shl (local.get $t) (i32.const 3))) (f64.mul (local.get $v) (f64.const 0x1.6a09e667f3bcdp-1)))
    (local.set $b (i32.add (global.get $unitB) (i32.mul (local.get $t) (local.get $end))))
    (local.set $row (i32.add (global.get $basis) (i32.mul (local.get $t) (i32.shl (global.get $d) (i32.const 2)))))
    (local.set $x (i32.const 0))
    (block $done (loop $store
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (f64.mul (f64.load (i32.add (global.get $work) (local.get $x))) (local.get $inv)))
      (f64.store (i32.add (local.get $b) (local.get $x)) (local.get $v))
      (f32.store (i32.add (local.get $row) (i32.shr_u (local.get $x) (i32.const 1)))
        (f32.demote_f64 (f64.mul (local.get $v) (f64.const 0x1.6a09e667f3bcdp-1))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br $store))))

  ;; ⟨a, b⟩ in f32 over d entries at byte offsets a and b (see the header for the order).
  (func $dot32 (param $a i32) (param $b i32) (result f32)
    (local $x i32) (local $eights i32) (local $fours i32) (local $end i32)
    (local $acc0 v128) (local $acc1 v128) (local $sum f32)
    (local.set $end (i32.shl (global.get $d) (i32.const 2)))
    (local.set $eights (i32.shl (i32.and (global.get $d) (i32.const -8)) (i32.const 2)))
    (local.set $fours (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $x) (local.get $eights)))
        (local.set $acc0 (f32x4.add (local.get $acc0)
          (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $x))) (v128.load (i32.add (local.get $b) (local.get $x))))))
        (local.set $acc1 (f32x4.add (local.get $acc1)
          (f32x4.mul (v128.load offset=16 (i32.add (local.get $a) (local.get $x))) (v128.load offset=16 (i32.add (local.get $b) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $eight)))
    (if (i32.lt_u (local.get $x) (local.get $fours))
      (then
        (local.set $acc0 (f32x4.add (local.get $acc0)
          (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $x))) (v128.load (i32.add (local.get $b) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))))
    (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
    (local.set $sum (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc0)) (f32x4.extract_lane 3 (local.get $acc0)))))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $sum (f32.add (local.get $sum)
          (f32.mul (f32.load (i32.add (local.get $a) (local.get $x))) (f32.load (i32.add (local.get $b) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $tail)))
    (local.get $sum))

  ;; Byte offset of row i.
  (func $row (param $i i32) (result i32)
    (i32.add (global.get $emb) (i32.mul (local.get $i) (i32.shl (global.get $d) (i32.const 2)))))

  ;; MMR: out[i] = f64(⟨e_i, e_j⟩) for every candidate i (out: n f64).
  (func (export "similarities") (param $j i32) (param $out i32)
    (local $i i32) (local $b i32)
    (local.set $b (call $row (local.get $j)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (global.get $n)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.promote_f32 (call $dot32 (call $row (local.get $i)) (local.get $b))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; MMR: max raised to every f64(⟨e_i, e_{picks[s]}⟩) above it, for s = from .. to−1 in order.
  (func (export "maxSimilarity") (param $i i32) (param $from i32) (param $to i32) (param $max f64) (result f64)
    (local $a i32) (local $s i32) (local $sim f64)
    (local.set $a (call $row (local.get $i)))
    (local.set $s (local.get $from))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $s) (local.get $to)))
        (local.set $sim (f64.promote_f32 (call $dot32 (local.get $a)
          (call $row (i32.load (i32.add (global.get $picks) (i32.shl (local.get $s) (i32.const 2))))))))
        (if (f64.gt (local.get $sim) (local.get $max)) (then (local.set $max (local.get $sim))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $each)))
    (local.get $max))

  ;; DPP: applies basis vector u to candidate i: p = f64(⟨e_i, b_u⟩) + c_u, ρ_i −= p², g_i = w_i·ρ_i.
  (func $apply (param $i i32) (param $u i32)
    (local $p f64) (local $r i32) (local $rho f64)
    (local.set $p (f64.add
      (f64.promote_f32 (call $dot32 (call $row (local.get $i))
        (i32.add (global.get $basis) (i32.mul (local.get $u) (i32.shl (global.get $d) (i32.const 2))))))
      (f64.load (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
    (f64.store (i32.add (global.get $proj) (i32.shl (i32.add (i32.mul (local.get $u) (global.get $n)) (local.get $i)) (i32.const 3)))
      (local.get $p))
    (local.set $r (i32.shl (local.get $i) (i32.const 3)))
    (local.set $rho (f64.sub (f64.load (i32.add (global.get $residual) (local.get $r))) (f64.mul (local.get $p) (local.get $p))))
    (f64.store (i32.add (global.get $residual) (local.get $r)) (local.get $rho))
    (f64.store (i32.add (global.get $gain) (local.get $r))
      (f64.mul (f64.load (i32.add (global.get $weight) (local.get $r))) (local.get $rho))))

  ;; DPP: applies basis vector t to every candidate not taken; returns the one with the highest gain
  ;; (ties → lower index), or -1.
  (func (export "sweep") (param $t i32) (result i32)
    (local $i i32) (local $best i32) (local $g f64) (local $bestGain f64)
    (local.set $best (i32.const -1))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (global.get $n)))
        (if (i32.eqz (i32.load8_u (i32.add (global.get $taken) (local.get $i))))
          (then
            (call $apply (local.get $i) (local.get $t))
            (local.set $g (f64.load (i32.add (global.get $gain) (i32.shl (local.get $i) (i32.const 3)))))
            (if (i32.or (i32.lt_s (local.get $best) (i32.const 0)) (f64.gt (local.get $g) (local.get $bestGain)))
              (then (local.set $best (local.get $i)) (local.set $bestGain (local.get $g))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $best))

  ;; DPP: applies basis vectors from .. to−1 to candidate i in order, stopping as soon as its gain
  ;; falls below floor; returns how many basis vectors it has now seen (≤ to).
  (func (export "catchUp") (param $i i32) (param $from i32) (param $to i32) (param $floor f64) (result i32)
    (local $u i32)
    (local.set $u (local.get $from))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $u) (local.get $to)))
        (call $apply (local.get $i) (local.get $u))
        (local.set $u (i32.add (local.get $u) (i32.const 1)))
        (br_if $done (f64.lt (f64.load (i32.add (global.get $gain) (i32.shl (local.get $i) (i32.const 3)))) (local.get $floor)))
        (br $each)))
    (local.get $u)))
