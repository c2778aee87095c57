;; WebAssembly SIMD kernels of the greedy re-rankers: the Gram–Schmidt DPP
;; (src/strategies/post/dpp-greedy.ts, driven through src/_internals/wasm/dpp-kernels.ts) and the
;; MMR similarities (src/strategies/post/mmr-greedy.ts, through src/_internals/wasm/mmr-kernels.ts).
;; Source of src/_internals/wasm/greedy-kernels-binary.ts: edit this file, then `npm run build:wasm`.
;;
;; Every array is f64 unless noted and every pointer a byte offset into the exported memory. DPP:
;; `dppConfigure` sets the layout of one request; `addPick` turns a pick into the next basis vector,
;; and `sweep`, `catchUp`, `catchUpAll` and `catchUpRows` (the blocked sweep) update the
;; projections p[u][i] = ⟨b_u, e_i⟩ + c_u of candidate i on basis vector u, its residual ρ_i −= p²
;; and its gain g_i = w_i·ρ_i. MMR:
;; `mmrConfigure`, then `similarities` and `maxSimilarity`. The JS fallbacks perform the same IEEE
;; operations in the same order, so both backends produce bit-identical results.
(module
  (memory (export "memory") 1)

  (global $n (mut i32) (i32.const 0))        ;; candidates
  (global $d (mut i32) (i32.const 0))        ;; embedding dimension
  (global $emb (mut i32) (i32.const 0))      ;; n × d unit embeddings e_i, row-major
  (global $basis (mut i32) (i32.const 0))    ;; k × d basis parts b_u, row-major
  (global $offset (mut i32) (i32.const 0))   ;; k constant parts c_u
  (global $proj (mut i32) (i32.const 0))     ;; k × n projections p[u][i], row-major by u
  (global $residual (mut i32) (i32.const 0)) ;; n residuals ρ_i
  (global $weight (mut i32) (i32.const 0))   ;; n weights w_i (squared qualities)
  (global $gain (mut i32) (i32.const 0))     ;; n gains g_i = w_i·ρ_i
  (global $taken (mut i32) (i32.const 0))    ;; n bytes, non-zero once candidate i is picked
  (global $seen (mut i32) (i32.const 0))     ;; n i32: basis vectors applied to candidate i (catchUpAll)
  (global $unitB (mut i32) (i32.const 0))    ;; k × d e-parts of the unit basis vectors (√2·b_u)
  (global $unitC (mut i32) (i32.const 0))    ;; k constant parts of the unit basis vectors (√2·c_u)
  (global $work (mut i32) (i32.const 0))     ;; d scratch values
  (global $second (mut f64) (f64.const 0))   ;; second result of $dotPair and $dotQuad
  (global $third (mut f64) (f64.const 0))    ;; third result of $dotQuad
  (global $fourth (mut f64) (f64.const 0))   ;; fourth result of $dotQuad
  (global $picks (mut i32) (i32.const 0))    ;; MMR: k i32 candidate indices, in pick order

  (func (export "dppConfigure")
    (param $n i32) (param $d i32) (param $emb i32) (param $basis i32) (param $offset i32)
    (param $proj i32) (param $residual i32) (param $weight i32) (param $gain i32) (param $taken i32)
    (param $unitB i32) (param $unitC i32) (param $work i32) (param $seen i32)
    (global.set $n (local.get $n))
    (global.set $d (local.get $d))
    (global.set $emb (local.get $emb))
    (global.set $basis (local.get $basis))
    (global.set $offset (local.get $offset))
    (global.set $proj (local.get $proj))
    (global.set $residual (local.get $residual))
    (global.set $weight (local.get $weight))
    (global.set $gain (local.get $gain))
    (global.set $taken (local.get $taken))
    (global.set $unitB (local.get $unitB))
    (global.set $unitC (local.get $unitC))
    (global.set $work (local.get $work))
    (global.set $seen (local.get $seen)))

  ;; Makes candidate s basis vector t by classical Gram–Schmidt: r = w_s − Σ_{u<t} p[u][s]·q_u with
  ;; w_s = [1, e_s]/√2 (constant part first), q_t = r/‖r‖ with ‖r‖² summed left to right. Stores the
  ;; unit q_t (unitC, unitB) and the 1/√2-scaled copy (offset, basis) the projections use.
  (func (export "addPick") (param $t i32) (param $s i32)
    (local $rowBytes i32) (local $pairBytes i32) (local $x i32) (local $u i32) (local $from i32)
    (local $to i32) (local $p f64) (local $pv v128) (local $rc f64) (local $norm f64) (local $v f64)
    (local $inv f64)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $pairBytes (i32.shl (i32.and (global.get $d) (i32.const -2)) (i32.const 3)))
    (local.set $from (i32.add (global.get $emb) (i32.mul (local.get $s) (local.get $rowBytes))))
    (local.set $x (i32.const 0))
    (block $done (loop $copy
      (br_if $done (i32.ge_u (local.get $x) (local.get $rowBytes)))
      (f64.store (i32.add (global.get $work) (local.get $x))
        (f64.mul (f64.load (i32.add (local.get $from) (local.get $x))) (f64.const 0x1.6a09e667f3bcdp-1)))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br $copy)))
    (local.set $rc (f64.const 0x1.6a09e667f3bcdp-1))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $u) (local.get $t)))
      (local.set $p (f64.load (i32.add (global.get $proj)
        (i32.shl (i32.add (i32.mul (local.get $u) (global.get $n)) (local.get $s)) (i32.const 3)))))
      (local.set $rc (f64.sub (local.get $rc)
        (f64.mul (local.get $p) (f64.load (i32.add (global.get $unitC) (i32.shl (local.get $u) (i32.const 3)))))))
      (local.set $pv (f64x2.splat (local.get $p)))
      (local.set $from (i32.add (global.get $unitB) (i32.mul (local.get $u) (local.get $rowBytes))))
      (local.set $x (i32.const 0))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $x) (local.get $pairBytes)))
        (v128.store (i32.add (global.get $work) (local.get $x))
          (f64x2.sub (v128.load (i32.add (global.get $work) (local.get $x)))
            (f64x2.mul (local.get $pv) (v128.load (i32.add (local.get $from) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $pairs)))
      (if (i32.lt_u (local.get $x) (local.get $rowBytes))
        (then
          (f64.store (i32.add (global.get $work) (local.get $x))
            (f64.sub (f64.load (i32.add (global.get $work) (local.get $x)))
              (f64.mul (local.get $p) (f64.load (i32.add (local.get $from) (local.get $x))))))))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br $each)))
    (local.set $norm (f64.mul (local.get $rc) (local.get $rc)))
    (local.set $x (i32.const 0))
    (block $done (loop $sum
      (br_if $done (i32.ge_u (local.get $x) (local.get $rowBytes)))
      (local.set $v (f64.load (i32.add (global.get $work) (local.get $x))))
      (local.set $norm (f64.add (local.get $norm) (f64.mul (local.get $v) (local.get $v))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br $sum)))
    (local.set $inv (f64.div (f64.const 1) (f64.sqrt (local.get $norm))))
    (local.set $v (f64.mul (local.get $rc) (local.get $inv)))
    (f64.store (i32.add (global.get $unitC) (i32.shl (local.get $t) (i32.const 3))) (local.get $v))
    (f64.store (i32.add (global.get $offset) (i32.shl (local.get $t) (i32.const 3)))
      (f64.mul (local.get $v) (f64.const 0x1.6a09e667f3bcdp-1)))
    (local.set $from (i32.add (global.get $unitB) (i32.mul (local.get $t) (local.get $rowBytes))))
    (local.set $to (i32.add (global.get $basis) (i32.mul (local.get $t) (local.get $rowBytes))))
    (local.set $x (i32.const 0))
    (block $done (loop $store
      (br_if $done (i32.ge_u (local.get $x) (local.get $rowBytes)))
      (local.set $v (f64.mul (f64.load (i32.add (global.get $work) (local.get $x))) (local.get $inv)))
      (f64.store (i32.add (local.get $from) (local.get $x)) (local.get $v))
      (f64.store (i32.add (local.get $to) (local.get $x)) (f64.mul (local.get $v) (f64.const 0x1.6a09e667f3bcdp-1)))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br $store))))

  ;; ⟨a, b⟩ over d f64s, equal bit for bit to dotUnrolled (src/_internals/dot.ts): partial sums
  ;; s0..s3 over x mod 4 held as two f64x2 lanes, combined as (s0 + s1) + (s2 + s3), then the
  ;; d mod 4 tail added left to right.
  (func $dot (param $a i32) (param $b i32) (result f64)
    (local $x i32) (local $blocked i32) (local $end i32) (local $lo v128) (local $hi v128) (local $sum f64)
    (local.set $blocked (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 3)))
    (local.set $end (i32.shl (global.get $d) (i32.const 3)))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $x) (local.get $blocked)))
        (local.set $lo (f64x2.add (local.get $lo)
          (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $x))) (v128.load (i32.add (local.get $b) (local.get $x))))))
        (local.set $hi (f64x2.add (local.get $hi)
          (f64x2.mul (v128.load offset=16 (i32.add (local.get $a) (local.get $x))) (v128.load offset=16 (i32.add (local.get $b) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $quad)))
    (local.set $sum (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $lo)) (f64x2.extract_lane 1 (local.get $lo)))
      (f64.add (f64x2.extract_lane 0 (local.get $hi)) (f64x2.extract_lane 1 (local.get $hi)))))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $sum (f64.add (local.get $sum)
          (f64.mul (f64.load (i32.add (local.get $a) (local.get $x))) (f64.load (i32.add (local.get $b) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $tail)))
    (local.get $sum))

  ;; Records projection p of candidate i on basis vector u and returns its new residual.
  (func $settle (param $i i32) (param $u i32) (param $p f64) (result f64)
    (local $at i32) (local $r f64)
    (f64.store
      (i32.add (global.get $proj) (i32.shl (i32.add (i32.mul (local.get $u) (global.get $n)) (local.get $i)) (i32.const 3)))
      (local.get $p))
    (local.set $at (i32.shl (local.get $i) (i32.const 3)))
    (local.set $r (f64.sub
      (f64.load (i32.add (global.get $residual) (local.get $at)))
      (f64.mul (local.get $p) (local.get $p))))
    (f64.store (i32.add (global.get $residual) (local.get $at)) (local.get $r))
    (local.get $r))

  ;; g_i = w_i·ρ_i.
  (func $setGain (param $i i32) (param $r f64)
    (local $at i32)
    (local.set $at (i32.shl (local.get $i) (i32.const 3)))
    (f64.store (i32.add (global.get $gain) (local.get $at))
      (f64.mul (f64.load (i32.add (global.get $weight) (local.get $at))) (local.get $r))))

  ;; Projects every candidate on basis vector t (the dense step), two rows per pass so that each
  ;; load of b_t serves both; an odd last row goes through $dot. Returns the candidate with the
  ;; highest gain that is not taken (ties → lower index), or -1 when all are taken.
  (func (export "sweep") (param $t i32) (result i32)
    (local $i i32) (local $rowA i32) (local $rowB i32) (local $vec i32) (local $c f64)
    (local $rowBytes i32) (local $blocked i32) (local $x i32)
    (local $projAt i32) (local $at i32) (local $last i32)
    (local $loA v128) (local $hiA v128) (local $loB v128) (local $hiB v128) (local $vLo v128) (local $vHi v128)
    (local $pA f64) (local $pB f64) (local $v f64) (local $r f64)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $blocked (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 3)))
    (local.set $vec (i32.add (global.get $basis) (i32.mul (local.get $t) (local.get $rowBytes))))
    (local.set $c (f64.load (i32.add (global.get $offset) (i32.shl (local.get $t) (i32.const 3)))))
    (local.set $projAt (i32.add (global.get $proj) (i32.shl (i32.mul (local.get $t) (global.get $n)) (i32.const 3))))
    (local.set $rowA (global.get $emb))
    (local.set $last (i32.sub (global.get $n) (i32.const 1)))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_s (local.get $i) (local.get $last)))
        (local.set $rowB (i32.add (local.get $rowA) (local.get $rowBytes)))
        (local.set $loA (v128.const f64x2 0 0))
        (local.set $hiA (v128.const f64x2 0 0))
        (local.set $loB (v128.const f64x2 0 0))
        (local.set $hiB (v128.const f64x2 0 0))
        (local.set $x (i32.const 0))
        (block $quadsDone
          (loop $quads
            (br_if $quadsDone (i32.ge_u (local.get $x) (local.get $blocked)))
            (local.set $vLo (v128.load (i32.add (local.get $vec) (local.get $x))))
            (local.set $vHi (v128.load offset=16 (i32.add (local.get $vec) (local.get $x))))
            (local.set $loA (f64x2.add (local.get $loA) (f64x2.mul (v128.load (i32.add (local.get $rowA) (local.get $x))) (local.get $vLo))))
            (local.set $hiA (f64x2.add (local.get $hiA) (f64x2.mul (v128.load offset=16 (i32.add (local.get $rowA) (local.get $x))) (local.get $vHi))))
            (local.set $loB (f64x2.add (local.get $loB) (f64x2.mul (v128.load (i32.add (local.get $rowB) (local.get $x))) (local.get $vLo))))
            (local.set $hiB (f64x2.add (local.get $hiB) (f64x2.mul (v128.load offset=16 (i32.add (local.get $rowB) (local.get $x))) (local.get $vHi))))
            (local.set $x (i32.add (local.get $x) (i32.const 32)))
            (br $quads)))
        (local.set $pA (f64.add
          (f64.add (f64x2.extract_lane 0 (local.get $loA)) (f64x2.extract_lane 1 (local.get $loA)))
          (f64.add (f64x2.extract_lane 0 (local.get $hiA)) (f64x2.extract_lane 1 (local.get $hiA)))))
        (local.set $pB (f64.add
          (f64.add (f64x2.extract_lane 0 (local.get $loB)) (f64x2.extract_lane 1 (local.get $loB)))
          (f64.add (f64x2.extract_lane 0 (local.get $hiB)) (f64x2.extract_lane 1 (local.get $hiB)))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $x) (local.get $rowBytes)))
            (local.set $v (f64.load (i32.add (local.get $vec) (local.get $x))))
            (local.set $pA (f64.add (local.get $pA) (f64.mul (f64.load (i32.add (local.get $rowA) (local.get $x))) (local.get $v))))
            (local.set $pB (f64.add (local.get $pB) (f64.mul (f64.load (i32.add (local.get $rowB) (local.get $x))) (local.get $v))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $tail)))
        (local.set $pA (f64.add (local.get $pA) (local.get $c)))
        (local.set $pB (f64.add (local.get $pB) (local.get $c)))
        (f64.store (local.get $projAt) (local.get $pA))
        (f64.store offset=8 (local.get $projAt) (local.get $pB))
        (local.set $at (i32.shl (local.get $i) (i32.const 3)))
        (local.set $r (f64.sub (f64.load (i32.add (global.get $residual) (local.get $at))) (f64.mul (local.get $pA) (local.get $pA))))
        (f64.store (i32.add (global.get $residual) (local.get $at)) (local.get $r))
        (f64.store (i32.add (global.get $gain) (local.get $at)) (f64.mul (f64.load (i32.add (global.get $weight) (local.get $at))) (local.get $r)))
        (local.set $r (f64.sub (f64.load offset=8 (i32.add (global.get $residual) (local.get $at))) (f64.mul (local.get $pB) (local.get $pB))))
        (f64.store offset=8 (i32.add (global.get $residual) (local.get $at)) (local.get $r))
        (f64.store offset=8 (i32.add (global.get $gain) (local.get $at)) (f64.mul (f64.load offset=8 (i32.add (global.get $weight) (local.get $at))) (local.get $r)))
        (local.set $projAt (i32.add (local.get $projAt) (i32.const 16)))
        (local.set $rowA (i32.add (local.get $rowB) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.eq (local.get $i) (local.get $last))
      (then
        (call $setGain (local.get $i)
          (call $settle (local.get $i) (local.get $t) (f64.add (call $dot (local.get $rowA) (local.get $vec)) (local.get $c))))))
    (call $best))

  ;; The candidate with the highest gain that is not taken (ties → lower index), or -1.
  (func $best (export "best") (result i32)
    (local $i i32) (local $best i32) (local $top f64) (local $g f64)
    (local.set $best (i32.const -1))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (global.get $n)))
        (if (i32.eqz (i32.load8_u (i32.add (global.get $taken) (local.get $i))))
          (then
            (local.set $g (f64.load (i32.add (global.get $gain) (i32.shl (local.get $i) (i32.const 3)))))
            (if (i32.or (i32.lt_s (local.get $best) (i32.const 0)) (f64.gt (local.get $g) (local.get $top)))
              (then
                (local.set $best (local.get $i))
                (local.set $top (local.get $g))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $best))

  ;; Brings candidate i from basis vector `from` up to `to` (exclusive), stopping early when, after a
  ;; multiple of four of them, its gain has fallen below `floor` (it can no longer lead); basis
  ;; vectors two per pass ($applyOne). Returns the number of basis vectors now applied.
  (func (export "catchUp") (param $i i32) (param $from i32) (param $to i32) (param $floor f64) (result i32)
    (local $u i32) (local $stop i32)
    (local.set $u (local.get $from))
    (block $done
      (loop $group
        (local.set $stop (select (local.get $to) (i32.add (local.get $u) (i32.const 4))
          (i32.lt_s (local.get $to) (i32.add (local.get $u) (i32.const 4)))))
        (call $applyOne (local.get $i) (local.get $u) (local.get $stop))
        (local.set $u (local.get $stop))
        (br_if $done (i32.ge_s (local.get $u) (local.get $to)))
        (br_if $group (f64.ge
          (f64.load (i32.add (global.get $gain) (i32.shl (local.get $i) (i32.const 3))))
          (local.get $floor)))))
    (local.get $u))
  ;; ⟨a, e⟩ and ⟨b, e⟩, each summed exactly as $dot, in one pass over e. Returns the first and
  ;; leaves the second in $second.
  (func $dotPair (param $a i32) (param $b i32) (param $e i32) (result f64)
    (local $x i32) (local $blocked i32) (local $end i32) (local $eLo v128) (local $eHi v128)
    (local $loA v128) (local $hiA v128) (local $loB v128) (local $hiB v128) (local $sA f64) (local $sB f64) (local $v f64)
    (local.set $blocked (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 3)))
    (local.set $end (i32.shl (global.get $d) (i32.const 3)))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $x) (local.get $blocked)))
        (local.set $eLo (v128.load (i32.add (local.get $e) (local.get $x))))
        (local.set $eHi (v128.load offset=16 (i32.add (local.get $e) (local.get $x))))
        (local.set $loA (f64x2.add (local.get $loA) (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $x))) (local.get $eLo))))
        (local.set $hiA (f64x2.add (local.get $hiA) (f64x2.mul (v128.load offset=16 (i32.add (local.get $a) (local.get $x))) (local.get $eHi))))
        (local.set $loB (f64x2.add (local.get $loB) (f64x2.mul (v128.load (i32.add (local.get $b) (local.get $x))) (local.get $eLo))))
        (local.set $hiB (f64x2.add (local.get $hiB) (f64x2.mul (v128.load offset=16 (i32.add (local.get $b) (local.get $x))) (local.get $eHi))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $quad)))
    (local.set $sA (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $loA)) (f64x2.extract_lane 1 (local.get $loA)))
      (f64.add (f64x2.extract_lane 0 (local.get $hiA)) (f64x2.extract_lane 1 (local.get $hiA)))))
    (local.set $sB (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $loB)) (f64x2.extract_lane 1 (local.get $loB)))
      (f64.add (f64x2.extract_lane 0 (local.get $hiB)) (f64x2.extract_lane 1 (local.get $hiB)))))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (f64.load (i32.add (local.get $e) (local.get $x))))
        (local.set $sA (f64.add (local.get $sA) (f64.mul (f64.load (i32.add (local.get $a) (local.get $x))) (local.get $v))))
        (local.set $sB (f64.add (local.get $sB) (f64.mul (f64.load (i32.add (local.get $b) (local.get $x))) (local.get $v))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $tail)))
    (global.set $second (local.get $sB))
    (local.get $sA))

  ;; Stores projection p of candidate i on basis vector u (no residual update).
  (func $store (param $i i32) (param $u i32) (param $p f64)
    (f64.store
      (i32.add (global.get $proj) (i32.shl (i32.add (i32.mul (local.get $u) (global.get $n)) (local.get $i)) (i32.const 3)))
      (local.get $p)))

  ;; Brings every candidate not taken from the basis vectors it has seen (seen[i]) up to `to`, two
  ;; basis vectors per pass, and records seen[i] = to. Returns the number of updates made.
  (func (export "catchUpAll") (param $to i32) (result i32)
    (local $i i32) (local $u i32) (local $row i32) (local $rowBytes i32) (local $a i32) (local $at i32)
    (local $updates i32) (local $r f64) (local $p f64) (local $q f64)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (global.get $n)))
        (local.set $u (i32.load (i32.add (global.get $seen) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.and
              (i32.eqz (i32.load8_u (i32.add (global.get $taken) (local.get $i))))
              (i32.lt_s (local.get $u) (local.get $to)))
          (then
            (local.set $updates (i32.add (local.get $updates) (i32.sub (local.get $to) (local.get $u))))
            (local.set $row (i32.add (global.get $emb) (i32.mul (local.get $i) (local.get $rowBytes))))
            (local.set $at (i32.shl (local.get $i) (i32.const 3)))
            (local.set $r (f64.load (i32.add (global.get $residual) (local.get $at))))
            (block $pairsDone
              (loop $pairs
                (br_if $pairsDone (i32.ge_s (i32.add (local.get $u) (i32.const 1)) (local.get $to)))
                (local.set $a (i32.add (global.get $basis) (i32.mul (local.get $u) (local.get $rowBytes))))
                (local.set $p (f64.add (call $dotPair (local.get $a) (i32.add (local.get $a) (local.get $rowBytes)) (local.get $row))
                  (f64.load (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
                (local.set $q (f64.add (global.get $second)
                  (f64.load offset=8 (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
                (call $store (local.get $i) (local.get $u) (local.get $p))
                (call $store (local.get $i) (i32.add (local.get $u) (i32.const 1)) (local.get $q))
                (local.set $r (f64.sub (local.get $r) (f64.mul (local.get $p) (local.get $p))))
                (local.set $r (f64.sub (local.get $r) (f64.mul (local.get $q) (local.get $q))))
                (local.set $u (i32.add (local.get $u) (i32.const 2)))
                (br $pairs)))
            (if (i32.lt_s (local.get $u) (local.get $to))
              (then
                (local.set $p (f64.add
                  (call $dot (i32.add (global.get $basis) (i32.mul (local.get $u) (local.get $rowBytes))) (local.get $row))
                  (f64.load (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
                (call $store (local.get $i) (local.get $u) (local.get $p))
                (local.set $r (f64.sub (local.get $r) (f64.mul (local.get $p) (local.get $p))))))
            (f64.store (i32.add (global.get $residual) (local.get $at)) (local.get $r))
            (call $setGain (local.get $i) (local.get $r))
            (i32.store (i32.add (global.get $seen) (i32.shl (local.get $i) (i32.const 2))) (local.get $to))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $updates))
;; ⟨a, e⟩, ⟨b, e⟩, ⟨a, f⟩ and ⟨b, f⟩, each summed exactly as $dot, in one pass that loads each
  ;; entry of a, b, e and f once (a 2 × 2 register tile: eight independent f64x2 sums). Returns the
  ;; first and leaves the others in $second, $third and $fourth.
  (func $dotQuad (param $a i32) (param $b i32) (param $e i32) (param $f i32) (result f64)
    (local $x i32) (local $blocked i32) (local $end i32)
    (local $aLo v128) (local $aHi v128) (local $bLo v128) (local $bHi v128) (local $eLo v128) (local $eHi v128)
    (local $aeLo v128) (local $aeHi v128) (local $beLo v128) (local $beHi v128)
    (local $afLo v128) (local $afHi v128) (local $bfLo v128) (local $bfHi v128)
    (local $ae f64) (local $be f64) (local $af f64) (local $bf f64) (local $va f64) (local $vb f64) (local $v f64)
    (local.set $blocked (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 3)))
    (local.set $end (i32.shl (global.get $d) (i32.const 3)))
    (block $done
      (loop $quad
        (br_if $done (i32.ge_u (local.get $x) (local.get $blocked)))
        (local.set $aLo (v128.load (i32.add (local.get $a) (local.get $x))))
        (local.set $aHi (v128.load offset=16 (i32.add (local.get $a) (local.get $x))))
        (local.set $bLo (v128.load (i32.add (local.get $b) (local.get $x))))
        (local.set $bHi (v128.load offset=16 (i32.add (local.get $b) (local.get $x))))
        (local.set $eLo (v128.load (i32.add (local.get $e) (local.get $x))))
        (local.set $eHi (v128.load offset=16 (i32.add (local.get $e) (local.get $x))))
        (local.set $aeLo (f64x2.add (local.get $aeLo) (f64x2.mul (local.get $aLo) (local.get $eLo))))
        (local.set $aeHi (f64x2.add (local.get $aeHi) (f64x2.mul (local.get $aHi) (local.get $eHi))))
        (local.set $beLo (f64x2.add (local.get $beLo) (f64x2.mul (local.get $bLo) (local.get $eLo))))
        (local.set $beHi (f64x2.add (local.get $beHi) (f64x2.mul (local.get $bHi) (local.get $eHi))))
        (local.set $eLo (v128.load (i32.add (local.get $f) (local.get $x))))
        (local.set $eHi (v128.load offset=16 (i32.add (local.get $f) (local.get $x))))
        (local.set $afLo (f64x2.add (local.get $afLo) (f64x2.mul (local.get $aLo) (local.get $eLo))))
        (local.set $afHi (f64x2.add (local.get $afHi) (f64x2.mul (local.get $aHi) (local.get $eHi))))
        (local.set $bfLo (f64x2.add (local.get $bfLo) (f64x2.mul (local.get $bLo) (local.get $eLo))))
        (local.set $bfHi (f64x2.add (local.get $bfHi) (f64x2.mul (local.get $bHi) (local.get $eHi))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $quad)))
    (local.set $ae (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $aeLo)) (f64x2.extract_lane 1 (local.get $aeLo)))
      (f64.add (f64x2.extract_lane 0 (local.get $aeHi)) (f64x2.extract_lane 1 (local.get $aeHi)))))
    (local.set $be (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $beLo)) (f64x2.extract_lane 1 (local.get $beLo)))
      (f64.add (f64x2.extract_lane 0 (local.get $beHi)) (f64x2.extract_lane 1 (local.get $beHi)))))
    (local.set $af (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $afLo)) (f64x2.extract_lane 1 (local.get $afLo)))
      (f64.add (f64x2.extract_lane 0 (local.get $afHi)) (f64x2.extract_lane 1 (local.get $afHi)))))
    (local.set $bf (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $bfLo)) (f64x2.extract_lane 1 (local.get $bfLo)))
      (f64.add (f64x2.extract_lane 0 (local.get $bfHi)) (f64x2.extract_lane 1 (local.get $bfHi)))))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $va (f64.load (i32.add (local.get $a) (local.get $x))))
        (local.set $vb (f64.load (i32.add (local.get $b) (local.get $x))))
        (local.set $v (f64.load (i32.add (local.get $e) (local.get $x))))
        (local.set $ae (f64.add (local.get $ae) (f64.mul (local.get $va) (local.get $v))))
        (local.set $be (f64.add (local.get $be) (f64.mul (local.get $vb) (local.get $v))))
        (local.set $v (f64.load (i32.add (local.get $f) (local.get $x))))
        (local.set $af (f64.add (local.get $af) (f64.mul (local.get $va) (local.get $v))))
        (local.set $bf (f64.add (local.get $bf) (f64.mul (local.get $vb) (local.get $v))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $tail)))
    (global.set $second (local.get $be))
    (global.set $third (local.get $af))
    (global.set $fourth (local.get $bf))
    (local.get $ae))

  ;; Applies basis vectors u .. stop−1 to candidate i, in order, two per pass (as catchUpAll does).
  (func $applyOne (param $i i32) (param $u i32) (param $stop i32)
    (local $row i32) (local $rowBytes i32) (local $a i32) (local $at i32) (local $r f64) (local $p f64) (local $q f64)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $row (i32.add (global.get $emb) (i32.mul (local.get $i) (local.get $rowBytes))))
    (local.set $at (i32.shl (local.get $i) (i32.const 3)))
    (local.set $r (f64.load (i32.add (global.get $residual) (local.get $at))))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_s (i32.add (local.get $u) (i32.const 1)) (local.get $stop)))
        (local.set $a (i32.add (global.get $basis) (i32.mul (local.get $u) (local.get $rowBytes))))
        (local.set $p (f64.add (call $dotPair (local.get $a) (i32.add (local.get $a) (local.get $rowBytes)) (local.get $row))
          (f64.load (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
        (local.set $q (f64.add (global.get $second)
          (f64.load offset=8 (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
        (call $store (local.get $i) (local.get $u) (local.get $p))
        (call $store (local.get $i) (i32.add (local.get $u) (i32.const 1)) (local.get $q))
        (local.set $r (f64.sub (local.get $r) (f64.mul (local.get $p) (local.get $p))))
        (local.set $r (f64.sub (local.get $r) (f64.mul (local.get $q) (local.get $q))))
        (local.set $u (i32.add (local.get $u) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_s (local.get $u) (local.get $stop))
      (then
        (local.set $p (f64.add
          (call $dot (i32.add (global.get $basis) (i32.mul (local.get $u) (local.get $rowBytes))) (local.get $row))
          (f64.load (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
        (call $store (local.get $i) (local.get $u) (local.get $p))
        (local.set $r (f64.sub (local.get $r) (f64.mul (local.get $p) (local.get $p))))))
    (f64.store (i32.add (global.get $residual) (local.get $at)) (local.get $r))
    (call $setGain (local.get $i) (local.get $r)))

  ;; Applies basis vectors u .. stop−1 to candidates i and j, in order: two basis vectors by two rows
  ;; per pass ($dotQuad), an odd last basis vector by $dotPair. Each projection and residual is the
  ;; one $applyOne computes.
  (func $applyTwo (param $i i32) (param $j i32) (param $u i32) (param $stop i32)
    (local $rowI i32) (local $rowJ i32) (local $rowBytes i32) (local $a i32) (local $c i32)
    (local $atI i32) (local $atJ i32) (local $ri f64) (local $rj f64) (local $p f64) (local $constant f64)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $rowI (i32.add (global.get $emb) (i32.mul (local.get $i) (local.get $rowBytes))))
    (local.set $rowJ (i32.add (global.get $emb) (i32.mul (local.get $j) (local.get $rowBytes))))
    (local.set $atI (i32.shl (local.get $i) (i32.const 3)))
    (local.set $atJ (i32.shl (local.get $j) (i32.const 3)))
    (local.set $ri (f64.load (i32.add (global.get $residual) (local.get $atI))))
    (local.set $rj (f64.load (i32.add (global.get $residual) (local.get $atJ))))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_s (i32.add (local.get $u) (i32.const 1)) (local.get $stop)))
        (local.set $a (i32.add (global.get $basis) (i32.mul (local.get $u) (local.get $rowBytes))))
        (local.set $c (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))
        (local.set $p (f64.add (call $dotQuad (local.get $a) (i32.add (local.get $a) (local.get $rowBytes)) (local.get $rowI) (local.get $rowJ))
          (f64.load (local.get $c))))
        (call $store (local.get $i) (local.get $u) (local.get $p))
        (local.set $ri (f64.sub (local.get $ri) (f64.mul (local.get $p) (local.get $p))))
        (local.set $p (f64.add (global.get $second) (f64.load offset=8 (local.get $c))))
        (call $store (local.get $i) (i32.add (local.get $u) (i32.const 1)) (local.get $p))
        (local.set $ri (f64.sub (local.get $ri) (f64.mul (local.get $p) (local.get $p))))
        (local.set $p (f64.add (global.get $third) (f64.load (local.get $c))))
        (call $store (local.get $j) (local.get $u) (local.get $p))
        (local.set $rj (f64.sub (local.get $rj) (f64.mul (local.get $p) (local.get $p))))
        (local.set $p (f64.add (global.get $fourth) (f64.load offset=8 (local.get $c))))
        (call $store (local.get $j) (i32.add (local.get $u) (i32.const 1)) (local.get $p))
        (local.set $rj (f64.sub (local.get $rj) (f64.mul (local.get $p) (local.get $p))))
        (local.set $u (i32.add (local.get $u) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_s (local.get $u) (local.get $stop))
      (then
        (local.set $constant (f64.load (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3)))))
        (local.set $p (f64.add
          (call $dotPair (local.get $rowI) (local.get $rowJ) (i32.add (global.get $basis) (i32.mul (local.get $u) (local.get $rowBytes))))
          (local.get $constant)))
        (call $store (local.get $i) (local.get $u) (local.get $p))
        (local.set $ri (f64.sub (local.get $ri) (f64.mul (local.get $p) (local.get $p))))
        (local.set $p (f64.add (global.get $second) (local.get $constant)))
        (call $store (local.get $j) (local.get $u) (local.get $p))
        (local.set $rj (f64.sub (local.get $rj) (f64.mul (local.get $p) (local.get $p))))))
    (f64.store (i32.add (global.get $residual) (local.get $atI)) (local.get $ri))
    (call $setGain (local.get $i) (local.get $ri))
    (f64.store (i32.add (global.get $residual) (local.get $atJ)) (local.get $rj))
    (call $setGain (local.get $j) (local.get $rj)))

  ;; The blocked sweep: brings every candidate of rows first .. last−1 that is not taken from basis
  ;; vector `from` up to `to` (exclusive), four basis vectors at a time, each block of rows staying in
  ;; cache while several basis vectors pass over it; untaken rows go two at a time through
  ;; $applyTwo. Stops early when, after a group of four, no row's gain reaches `floor` (the block can
  ;; no longer lead). Returns the number of basis vectors now applied to the block.
  (func (export "catchUpRows") (param $first i32) (param $last i32) (param $from i32) (param $to i32) (param $floor f64) (result i32)
    (local $u i32) (local $stop i32) (local $i i32) (local $held i32) (local $lead i32)
    (local.set $u (local.get $from))
    (block $done
      (loop $group
        (br_if $done (i32.ge_s (local.get $u) (local.get $to)))
        (local.set $stop (select (local.get $to) (i32.add (local.get $u) (i32.const 4))
          (i32.lt_s (local.get $to) (i32.add (local.get $u) (i32.const 4)))))
        (local.set $held (i32.const -1))
        (local.set $lead (i32.const 0))
        (local.set $i (local.get $first))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $last)))
            (if (i32.eqz (i32.load8_u (i32.add (global.get $taken) (local.get $i))))
              (then
                (if (i32.lt_s (local.get $held) (i32.const 0))
                  (then (local.set $held (local.get $i)))
                  (else
                    (call $applyTwo (local.get $held) (local.get $i) (local.get $u) (local.get $stop))
                    (local.set $lead (i32.or (local.get $lead)
                      (i32.or
                        (f64.ge (f64.load (i32.add (global.get $gain) (i32.shl (local.get $held) (i32.const 3)))) (local.get $floor))
                        (f64.ge (f64.load (i32.add (global.get $gain) (i32.shl (local.get $i) (i32.const 3)))) (local.get $floor)))))
                    (local.set $held (i32.const -1))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (if (i32.ge_s (local.get $held) (i32.const 0))
          (then
            (call $applyOne (local.get $held) (local.get $u) (local.get $stop))
            (local.set $lead (i32.or (local.get $lead)
              (f64.ge (f64.load (i32.add (global.get $gain) (i32.shl (local.get $held) (i32.const 3)))) (local.get $floor))))))
        (local.set $u (local.get $stop))
        (br_if $group (local.get $lead))))
    (local.get $u))

  ;; MMR: the request's candidates, dimension, unit embeddings and picks array.
  (func (export "mmrConfigure") (param $n i32) (param $d i32) (param $emb i32) (param $picks i32)
    (global.set $n (local.get $n))
    (global.set $d (local.get $d))
    (global.set $emb (local.get $emb))
    (global.set $picks (local.get $picks)))

  ;; out[i] = ⟨e_i, e_j⟩ for every candidate i, as $dot, two rows per pass.
  (func (export "similarities") (param $j i32) (param $out i32)
    (local $i i32) (local $row i32) (local $rowBytes i32) (local $vec i32) (local $last i32)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $vec (i32.add (global.get $emb) (i32.mul (local.get $j) (local.get $rowBytes))))
    (local.set $row (global.get $emb))
    (local.set $last (i32.sub (global.get $n) (i32.const 1)))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_s (local.get $i) (local.get $last)))
        (f64.store (local.get $out) (call $dotPair (local.get $row) (i32.add (local.get $row) (local.get $rowBytes)) (local.get $vec)))
        (f64.store offset=8 (local.get $out) (global.get $second))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $rowBytes) (i32.const 1))))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.eq (local.get $i) (local.get $last))
      (then (f64.store (local.get $out) (call $dot (local.get $row) (local.get $vec))))))

  ;; `max` raised to every ⟨e_{picks[s]}, e_i⟩ above it, s = from .. to−1 in order, two picks per pass.
  (func (export "maxSimilarity") (param $i i32) (param $from i32) (param $to i32) (param $max f64) (result f64)
    (local $s i32) (local $row i32) (local $rowBytes i32) (local $a i32) (local $sim f64)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $row (i32.add (global.get $emb) (i32.mul (local.get $i) (local.get $rowBytes))))
    (local.set $s (local.get $from))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_s (i32.add (local.get $s) (i32.const 1)) (local.get $to)))
        (local.set $a (i32.add (global.get $picks) (i32.shl (local.get $s) (i32.const 2))))
        (local.set $sim (call $dotPair
          (i32.add (global.get $emb) (i32.mul (i32.load (local.get $a)) (local.get $rowBytes)))
          (i32.add (global.get $emb) (i32.mul (i32.load offset=4 (local.get $a)) (local.get $rowBytes)))
          (local.get $row)))
        (if (f64.gt (local.get $sim) (local.get $max)) (then (local.set $max (local.get $sim))))
        (if (f64.gt (global.get $second) (local.get $max)) (then (local.set $max (global.get $second))))
        (local.set $s (i32.add (local.get $s) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_s (local.get $s) (local.get $to))
      (then
        (local.set $sim (call $dot
          (i32.add (global.get $emb) (i32.mul (i32.load (i32.add (global.get $picks) (i32.shl (local.get $s) (i32.const 2)))) (local.get $rowBytes)))
          (local.get $row)))
        (if (f64.gt (local.get $sim) (local.get $max)) (then (local.set $max (local.get $sim))))))
    (local.get $max))

  ;; --- packing (H4) ---
  ;; Unit-normalises `count` rows of `d` f64s starting at byte `at`, in place, each with the
  ;; arithmetic of tryWriteUnitVector (src/_internals/vector.ts), bit for bit: partial sums s0..s3
  ;; of x² over entries j mod 4 (s0, s1 and s2, s3 as two f64x2 lanes), the d mod 4 tail added into
  ;; s0, sum = (s0 + s1) + (s2 + s3), then every entry times 1/√sum. Stops at the first row whose sum
  ;; is not in [1e-280, MAX_VALUE] (a zero, non-finite, tiny or huge vector), leaving it as it was,
  ;; and returns its index; returns `count` when every row was normalised.
  (func (export "normaliseRows") (param $at i32) (param $count i32) (param $d i32) (result i32)
    (local $r i32) (local $x i32) (local $blocked i32) (local $pairs i32) (local $end i32)
    (local $lo v128) (local $hi v128) (local $v v128) (local $f v128) (local $s0 f64) (local $sum f64) (local $factor f64)
    (local.set $blocked (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $d) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $d) (i32.const 3)))
    (block $finished
      (loop $rows
        (br_if $finished (i32.ge_u (local.get $r) (local.get $count)))
        (local.set $lo (v128.const i64x2 0 0))
        (local.set $hi (v128.const i64x2 0 0))
        (local.set $x (i32.const 0))
        (block $done
          (loop $quad
            (br_if $done (i32.ge_u (local.get $x) (local.get $blocked)))
            (local.set $v (v128.load (i32.add (local.get $at) (local.get $x))))
            (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $v) (local.get $v))))
            (local.set $v (v128.load offset=16 (i32.add (local.get $at) (local.get $x))))
            (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $v) (local.get $v))))
            (local.set $x (i32.add (local.get $x) (i32.const 32)))
            (br $quad)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $lo)))
        (block $done
          (loop $tail
            (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $sum (f64.load (i32.add (local.get $at) (local.get $x))))
            (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $sum) (local.get $sum))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $tail)))
        (local.set $sum (f64.add
          (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $lo)))
          (f64.add (f64x2.extract_lane 0 (local.get $hi)) (f64x2.extract_lane 1 (local.get $hi)))))
        (if (i32.eqz (i32.and
              (f64.ge (local.get $sum) (f64.const 1e-280))
              (f64.le (local.get $sum) (f64.const 0x1.fffffffffffffp+1023))))
          (then (return (local.get $r))))
        (local.set $factor (f64.div (f64.const 1) (f64.sqrt (local.get $sum))))
        (local.set $f (f64x2.splat (local.get $factor)))
        (local.set $x (i32.const 0))
        (block $done
          (loop $scale
            (br_if $done (i32.ge_u (local.get $x) (local.get $pairs)))
            (v128.store (i32.add (local.get $at) (local.get $x))
              (f64x2.mul (v128.load (i32.add (local.get $at) (local.get $x))) (local.get $f)))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $scale)))
        (if (i32.lt_u (local.get $x) (local.get $end))
          (then (f64.store (i32.add (local.get $at) (local.get $x))
            (f64.mul (f64.load (i32.add (local.get $at) (local.get $x))) (local.get $factor)))))
        (local.set $at (i32.add (local.get $at) (local.get $end)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
    (local.get $count))

  ;; MMR over catalogue rows read in place (src/_internals/wasm/mmr-kernels.ts): candidate i's unit
  ;; embedding is row rows[i] (an i32 array at byte `rows`) of the catalogue at $emb, set by
  ;; `mmrConfigure`. Same sums as `similarities` and `maxSimilarity` on gathered rows, bit for bit.
  (func (export "similaritiesOfRows") (param $j i32) (param $out i32) (param $rows i32)
    (local $i i32) (local $rowBytes i32) (local $vec i32) (local $last i32) (local $at i32)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $vec (i32.add (global.get $emb) (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $j) (i32.const 2)))) (local.get $rowBytes))))
    (local.set $at (local.get $rows))
    (local.set $last (i32.sub (global.get $n) (i32.const 1)))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_s (local.get $i) (local.get $last)))
        (f64.store (local.get $out) (call $dotPair
          (i32.add (global.get $emb) (i32.mul (i32.load (local.get $at)) (local.get $rowBytes)))
          (i32.add (global.get $emb) (i32.mul (i32.load offset=4 (local.get $at)) (local.get $rowBytes)))
          (local.get $vec)))
        (f64.store offset=8 (local.get $out) (global.get $second))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.eq (local.get $i) (local.get $last))
      (then (f64.store (local.get $out) (call $dot
        (i32.add (global.get $emb) (i32.mul (i32.load (local.get $at)) (local.get $rowBytes)))
        (local.get $vec))))))

  ;; `max` raised to every ⟨e_{rows[picks[s]]}, e_{rows[i]}⟩ above it, s = from .. to−1 in order.
  (func (export "maxSimilarityOfRows") (param $i i32) (param $from i32) (param $to i32) (param $max f64) (param $rows i32) (result f64)
    (local $s i32) (local $row i32) (local $rowBytes i32) (local $a i32) (local $sim f64)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $row (i32.add (global.get $emb) (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2)))) (local.get $rowBytes))))
    (local.set $s (local.get $from))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_s (i32.add (local.get $s) (i32.const 1)) (local.get $to)))
        (local.set $a (i32.add (global.get $picks) (i32.shl (local.get $s) (i32.const 2))))
        (local.set $sim (call $dotPair
          (i32.add (global.get $emb) (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (i32.load (local.get $a)) (i32.const 2)))) (local.get $rowBytes)))
          (i32.add (global.get $emb) (i32.mul (i32.load (i32.add (local.get $rows) (i32.shl (i32.load offset=4 (local.get $a)) (i32.const 2)))) (local.get $rowBytes)))
          (local.get $row)))
        (if (f64.gt (local.get $sim) (local.get $max)) (then (local.set $max (local.get $sim))))
        (if (f64.gt (global.get $second) (local.get $max)) (then (local.set $max (global.get $second))))
        (local.set $s (i32.add (local.get $s) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_s (local.get $s) (local.get $to))
      (then
        (local.set $sim (call $dot
          (i32.add (global.get $emb) (i32.mul
            (i32.load (i32.add (local.get $rows) (i32.shl (i32.load (i32.add (global.get $picks) (i32.shl (local.get $s) (i32.const 2)))) (i32.const 2))))
            (local.get $rowBytes)))
          (local.get $row)))
        (if (f64.gt (local.get $sim) (local.get $max)) (then (local.set $max (local.get $sim))))))
    (local.get $max))
  ;; --- end of packing (H4) ---
  ;; --- DPP (H5) ---
  ;; Exact screening in single precision (src/strategies/post/dpp-screen.ts). A float32 copy of the
  ;; rows (emb32, n × d) and of the basis parts (basis32, k × d) gives every candidate a cheap,
  ;; rigorous upper bound on its float64 gain: with s̃ the float32 ⟨ẽ_i, b̃_u⟩ and p̃ = s̃ + c_u in
  ;; float64, |p̃ − p| ≤ eps (the caller's bound), so the residual is at most
  ;; bound_i = 1 − Σ_u max(0, |p̃| − eps)² and the gain at most upper_i = w_i·(bound_i + slack).
  ;; Only candidates whose bound reaches the best exact gain are brought up to date in float64
  ;; (catchUp), which keeps the selection the dense greedy's, bit for bit.
  (global $emb32 (mut i32) (i32.const 0))    ;; n × d float32 copies of the rows
  (global $basis32 (mut i32) (i32.const 0))  ;; k × d float32 copies of the basis parts b_u
  (global $bound (mut i32) (i32.const 0))    ;; n f64 upper bounds on the residuals
  (global $upper (mut i32) (i32.const 0))    ;; n f64 upper bounds on the gains
  (global $runnerUp (mut f64) (f64.const 0)) ;; second highest upper bound of the last dppScreen
  (global $groupLevel (mut i32) (i32.const 0)) ;; ⌈n/4⌉ i32: basis vectors applied to each group of four rows' bounds
  (global $groupUpper (mut i32) (i32.const 0)) ;; ⌈n/4⌉ f64: highest upper bound among each group's rows not taken
  (global $seeds (mut i32) (i32.const 0))      ;; 8 i32 seed candidates (-1: empty), highest upper bound first
  (global $seedGains (mut i32) (i32.const 0))  ;; their 8 f64 upper bounds (-inf: empty)
  (global $boundLow (mut i32) (i32.const 0))   ;; n f64 lower bounds on the residuals
  (global $floor (mut f64) (f64.const 0))      ;; dppScreen: highest lower bound on a gain so far
  (global $screenBest (mut i32) (i32.const 0)) ;; dppScreen: candidate with the highest upper bound so far
  (global $screenTop (mut f64) (f64.const 0))  ;; dppScreen: its upper bound

  (func (export "dppScreenConfigure") (param $emb32 i32) (param $basis32 i32) (param $bound i32) (param $upper i32)
    (param $groupLevel i32) (param $groupUpper i32) (param $seeds i32) (param $seedGains i32) (param $boundLow i32)
    (global.set $boundLow (local.get $boundLow))
    (global.set $groupLevel (local.get $groupLevel))
    (global.set $groupUpper (local.get $groupUpper))
    (global.set $seeds (local.get $seeds))
    (global.set $seedGains (local.get $seedGains))
    (global.set $emb32 (local.get $emb32))
    (global.set $basis32 (local.get $basis32))
    (global.set $bound (local.get $bound))
    (global.set $upper (local.get $upper)))

  ;; Writes the float32 copy of the n × d rows (round to nearest), sets every residual bound (from
  ;; above and below) to 1, every group
  ;; to level 0 with an infinite upper bound, and empties the seeds.
  ;; Returns the largest squared row norm, summed in float64, for the caller's error bound.
  (func (export "dppScreenRows") (result f64)
    (local $i i32) (local $x i32) (local $end i32) (local $from i32) (local $to i32) (local $v f64)
    (local $sum f64) (local $most f64) (local $a v128) (local $b v128) (local $rowBytes i32) (local $quads i32)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 3)))
    (local.set $quads (i32.shl (i32.and (global.get $d) (i32.const -4)) (i32.const 3)))
    (local.set $from (global.get $emb))
    (local.set $to (global.get $emb32))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $i) (global.get $n)))
        (local.set $sum (f64.const 0))
        (local.set $x (i32.const 0))
        (block $done
          (loop $quad
            (br_if $done (i32.ge_u (local.get $x) (local.get $quads)))
            (local.set $a (v128.load (i32.add (local.get $from) (local.get $x))))
            (local.set $b (v128.load offset=16 (i32.add (local.get $from) (local.get $x))))
            (v128.store (i32.add (local.get $to) (i32.shr_u (local.get $x) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (local.get $a)) (f32x4.demote_f64x2_zero (local.get $b))))
            (local.set $a (f64x2.add (f64x2.mul (local.get $a) (local.get $a)) (f64x2.mul (local.get $b) (local.get $b))))
            (local.set $sum (f64.add (local.get $sum)
              (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a)))))
            (local.set $x (i32.add (local.get $x) (i32.const 32)))
            (br $quad)))
        (block $done
          (loop $tail
            (br_if $done (i32.ge_u (local.get $x) (local.get $rowBytes)))
            (local.set $v (f64.load (i32.add (local.get $from) (local.get $x))))
            (f32.store (i32.add (local.get $to) (i32.shr_u (local.get $x) (i32.const 1))) (f32.demote_f64 (local.get $v)))
            (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $v) (local.get $v))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $tail)))
        (if (f64.gt (local.get $sum) (local.get $most)) (then (local.set $most (local.get $sum))))
        (f64.store (i32.add (global.get $bound) (i32.shl (local.get $i) (i32.const 3))) (f64.const 1))
        (f64.store (i32.add (global.get $boundLow) (i32.shl (local.get $i) (i32.const 3))) (f64.const 1))
        (local.set $from (i32.add (local.get $from) (local.get $rowBytes)))
        (local.set $to (i32.add (local.get $to) (i32.shr_u (local.get $rowBytes) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $groups
        (br_if $done (i32.ge_u (i32.shl (local.get $i) (i32.const 2)) (global.get $n)))
        (i32.store (i32.add (global.get $groupLevel) (i32.shl (local.get $i) (i32.const 2))) (i32.const 0))
        (f64.store (i32.add (global.get $groupUpper) (i32.shl (local.get $i) (i32.const 3))) (f64.const inf))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $groups)))
    (call $seedsClear)
    (local.get $most))

  ;; bound_i −= max(0, |s + c| − eps)² and low_i −= (|s + c| + eps)², the float32 projection s
  ;; promoted to float64.
  (func $screenSettle (param $i i32) (param $s f32) (param $c f64) (param $eps f64)
    (local $at i32) (local $p f64) (local $low f64) (local $high f64)
    (local.set $p (f64.abs (f64.add (f64.promote_f32 (local.get $s)) (local.get $c))))
    (local.set $low (f64.sub (local.get $p) (local.get $eps)))
    (local.set $high (f64.add (local.get $p) (local.get $eps)))
    (local.set $at (i32.add (global.get $boundLow) (i32.shl (local.get $i) (i32.const 3))))
    (f64.store (local.get $at) (f64.sub (f64.load (local.get $at)) (f64.mul (local.get $high) (local.get $high))))
    (if (f64.gt (local.get $low) (f64.const 0))
      (then
        (local.set $at (i32.add (global.get $bound) (i32.shl (local.get $i) (i32.const 3))))
        (f64.store (local.get $at) (f64.sub (f64.load (local.get $at)) (f64.mul (local.get $low) (local.get $low)))))))

  ;; Float32 ⟨row, vec⟩ over d entries: f32x4 sums over x mod 8 (lo, hi), lo + hi, lanes
  ;; (0 + 1) + (2 + 3), then the d mod 8 tail left to right (the order dppScreen uses).
  (func $dot32 (param $row i32) (param $vec i32) (result f32)
    (local $x i32) (local $blocked i32) (local $end i32) (local $lo v128) (local $hi v128) (local $s f32)
    (local.set $blocked (i32.shl (i32.and (global.get $d) (i32.const -8)) (i32.const 2)))
    (local.set $end (i32.shl (global.get $d) (i32.const 2)))
    (block $done
      (loop $oct
        (br_if $done (i32.ge_u (local.get $x) (local.get $blocked)))
        (local.set $lo (f32x4.add (local.get $lo)
          (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $x))) (v128.load (i32.add (local.get $vec) (local.get $x))))))
        (local.set $hi (f32x4.add (local.get $hi)
          (f32x4.mul (v128.load offset=16 (i32.add (local.get $row) (local.get $x))) (v128.load offset=16 (i32.add (local.get $vec) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $oct)))
    (local.set $lo (f32x4.add (local.get $lo) (local.get $hi)))
    (local.set $s (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $lo)) (f32x4.extract_lane 1 (local.get $lo)))
      (f32.add (f32x4.extract_lane 2 (local.get $lo)) (f32x4.extract_lane 3 (local.get $lo)))))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f32.add (local.get $s)
          (f32.mul (f32.load (i32.add (local.get $row) (local.get $x))) (f32.load (i32.add (local.get $vec) (local.get $x))))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $tail)))
    (local.get $s))

  ;; Empties the seed list.
  (func $seedsClear
    (local $s i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $s) (i32.const 8)))
        (i32.store (i32.add (global.get $seeds) (i32.shl (local.get $s) (i32.const 2))) (i32.const -1))
        (f64.store (i32.add (global.get $seedGains) (i32.shl (local.get $s) (i32.const 3))) (f64.const -inf))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $each))))

  ;; Seats candidate i with upper bound g among the seeds (kept in decreasing order) if it beats the last.
  (func $seedInsert (param $i i32) (param $g f64)
    (local $s i32) (local $prev f64)
    (br_if 0 (i32.eqz (f64.gt (local.get $g) (f64.load offset=56 (global.get $seedGains)))))
    (local.set $s (i32.const 7))
    (block $done
      (loop $shift
        (br_if $done (i32.eqz (local.get $s)))
        (local.set $prev (f64.load (i32.add (global.get $seedGains) (i32.shl (i32.sub (local.get $s) (i32.const 1)) (i32.const 3)))))
        (br_if $done (i32.eqz (f64.gt (local.get $g) (local.get $prev))))
        (f64.store (i32.add (global.get $seedGains) (i32.shl (local.get $s) (i32.const 3))) (local.get $prev))
        (i32.store (i32.add (global.get $seeds) (i32.shl (local.get $s) (i32.const 2)))
          (i32.load (i32.add (global.get $seeds) (i32.shl (i32.sub (local.get $s) (i32.const 1)) (i32.const 2)))))
        (local.set $s (i32.sub (local.get $s) (i32.const 1)))
        (br $shift)))
    (f64.store (i32.add (global.get $seedGains) (i32.shl (local.get $s) (i32.const 3))) (local.get $g))
    (i32.store (i32.add (global.get $seeds) (i32.shl (local.get $s) (i32.const 2))) (local.get $i)))

  ;; One group of four rows (g) for dppScreen: basis vectors groupLevel .. to−1 applied to its
  ;; residual bounds, from above (bound −= max(0, |p̃| − eps)²) and below (low −= (|p̃| + eps)²),
  ;; four rows per pass with the rows in cache across the basis vectors (a partial group, or d not a
  ;; multiple of 8, row by row through $dot32); then upper_i = w_i·(bound_i + slack) and the gain's
  ;; lower bound w_i·(low_i − slack), which raises $floor. Updates the group's level and highest
  ;; bound, the best, runner-up and seeds.
  (func $screenGroup (param $g i32) (param $to i32) (param $eps f64) (param $slack f64)
    (local $i i32) (local $r i32) (local $end i32) (local $u i32) (local $x i32) (local $blocked i32) (local $rowBytes i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $vec i32)
    (local $v0 v128) (local $v1 v128)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128)
    (local $a2 v128) (local $b2 v128) (local $a3 v128) (local $b3 v128)
    (local $c2 v128) (local $eps2 v128) (local $zero v128)
    (local $most f64) (local $up f64) (local $low f64) (local $w f64) (local $at i32) (local $lowAt i32)
    (local $sa v128) (local $sc v128) (local $sp v128) (local $sq v128) (local $cc v128)
    (local.set $rowBytes (i32.shl (global.get $d) (i32.const 2)))
    (local.set $blocked (i32.shl (i32.and (global.get $d) (i32.const -8)) (i32.const 2)))
    (local.set $eps2 (f64x2.splat (local.get $eps)))
    (local.set $i (i32.shl (local.get $g) (i32.const 2)))
    (local.set $end (select (global.get $n) (i32.add (local.get $i) (i32.const 4))
      (i32.lt_u (global.get $n) (i32.add (local.get $i) (i32.const 4)))))
    (local.set $u (i32.load (i32.add (global.get $groupLevel) (i32.shl (local.get $g) (i32.const 2)))))
    (if (i32.and (i32.eq (local.get $blocked) (local.get $rowBytes)) (i32.eq (i32.sub (local.get $end) (local.get $i)) (i32.const 4)))
      (then
                (local.set $r0 (i32.add (global.get $emb32) (i32.mul (local.get $i) (local.get $rowBytes))))
                (local.set $r1 (i32.add (local.get $r0) (local.get $rowBytes)))
                (local.set $r2 (i32.add (local.get $r1) (local.get $rowBytes)))
                (local.set $r3 (i32.add (local.get $r2) (local.get $rowBytes)))
                (local.set $at (i32.add (global.get $bound) (i32.shl (local.get $i) (i32.const 3))))
                (local.set $lowAt (i32.add (global.get $boundLow) (i32.shl (local.get $i) (i32.const 3))))
                ;; two basis vectors per pass (a 4 × 2 register tile, f32x4 sums over x mod 4)
                (block $pairsDone
                  (loop $pairs
                    (br_if $pairsDone (i32.ge_s (i32.add (local.get $u) (i32.const 1)) (local.get $to)))
                    (local.set $vec (i32.add (global.get $basis32) (i32.mul (local.get $u) (local.get $rowBytes))))
                    (local.set $a0 (v128.const i64x2 0 0)) (local.set $b0 (v128.const i64x2 0 0))
                    (local.set $a1 (v128.const i64x2 0 0)) (local.set $b1 (v128.const i64x2 0 0))
                    (local.set $a2 (v128.const i64x2 0 0)) (local.set $b2 (v128.const i64x2 0 0))
                    (local.set $a3 (v128.const i64x2 0 0)) (local.set $b3 (v128.const i64x2 0 0))
                    (local.set $x (i32.const 0))
                    (block $quadDone
                      (loop $quad
                        (br_if $quadDone (i32.ge_u (local.get $x) (local.get $blocked)))
                        (local.set $v0 (v128.load (i32.add (local.get $vec) (local.get $x))))
                        (local.set $v1 (v128.load (i32.add (i32.add (local.get $vec) (local.get $rowBytes)) (local.get $x))))
                        (local.set $c2 (v128.load (i32.add (local.get $r0) (local.get $x))))
                        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $c2) (local.get $v0))))
                        (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $c2) (local.get $v1))))
                        (local.set $c2 (v128.load (i32.add (local.get $r1) (local.get $x))))
                        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $c2) (local.get $v0))))
                        (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $c2) (local.get $v1))))
                        (local.set $c2 (v128.load (i32.add (local.get $r2) (local.get $x))))
                        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $c2) (local.get $v0))))
                        (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $c2) (local.get $v1))))
                        (local.set $c2 (v128.load (i32.add (local.get $r3) (local.get $x))))
                        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $c2) (local.get $v0))))
                        (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $c2) (local.get $v1))))
                        (local.set $x (i32.add (local.get $x) (i32.const 16)))
                        (br $quad)))
                    ;; inlined $sumFour and $settleFour (a call each measured about 9% of the screening time)
                    (local.set $sa (f32x4.add
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
                    (local.set $sc (f32x4.add
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3))))
                    (local.set $sa (f32x4.add
                      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sa) (local.get $sc))
                      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sa) (local.get $sc))))
                    (local.set $cc (f64x2.splat (f64.load offset=0 (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
                    (local.set $sp (f64x2.abs (f64x2.add (f64x2.promote_low_f32x4 (local.get $sa)) (local.get $cc))))
                    (local.set $sq (f64x2.max (f64x2.sub (local.get $sp) (local.get $eps2)) (local.get $zero)))
                    (v128.store (local.get $at) (f64x2.sub (v128.load (local.get $at)) (f64x2.mul (local.get $sq) (local.get $sq))))
                    (local.set $sq (f64x2.add (local.get $sp) (local.get $eps2)))
                    (v128.store (local.get $lowAt) (f64x2.sub (v128.load (local.get $lowAt)) (f64x2.mul (local.get $sq) (local.get $sq))))
                    (local.set $sp (f64x2.abs (f64x2.add
                      (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $sa) (local.get $sa)))
                      (local.get $cc))))
                    (local.set $sq (f64x2.max (f64x2.sub (local.get $sp) (local.get $eps2)) (local.get $zero)))
                    (v128.store offset=16 (local.get $at) (f64x2.sub (v128.load offset=16 (local.get $at)) (f64x2.mul (local.get $sq) (local.get $sq))))
                    (local.set $sq (f64x2.add (local.get $sp) (local.get $eps2)))
                    (v128.store offset=16 (local.get $lowAt) (f64x2.sub (v128.load offset=16 (local.get $lowAt)) (f64x2.mul (local.get $sq) (local.get $sq))))
                    (local.set $sa (f32x4.add
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $b0) (local.get $b1))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $b0) (local.get $b1))))
                    (local.set $sc (f32x4.add
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $b2) (local.get $b3))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $b2) (local.get $b3))))
                    (local.set $sa (f32x4.add
                      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $sa) (local.get $sc))
                      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $sa) (local.get $sc))))
                    (local.set $cc (f64x2.splat (f64.load offset=8 (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
                    (local.set $sp (f64x2.abs (f64x2.add (f64x2.promote_low_f32x4 (local.get $sa)) (local.get $cc))))
                    (local.set $sq (f64x2.max (f64x2.sub (local.get $sp) (local.get $eps2)) (local.get $zero)))
                    (v128.store (local.get $at) (f64x2.sub (v128.load (local.get $at)) (f64x2.mul (local.get $sq) (local.get $sq))))
                    (local.set $sq (f64x2.add (local.get $sp) (local.get $eps2)))
                    (v128.store (local.get $lowAt) (f64x2.sub (v128.load (local.get $lowAt)) (f64x2.mul (local.get $sq) (local.get $sq))))
                    (local.set $sp (f64x2.abs (f64x2.add
                      (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $sa) (local.get $sa)))
                      (local.get $cc))))
                    (local.set $sq (f64x2.max (f64x2.sub (local.get $sp) (local.get $eps2)) (local.get $zero)))
                    (v128.store offset=16 (local.get $at) (f64x2.sub (v128.load offset=16 (local.get $at)) (f64x2.mul (local.get $sq) (local.get $sq))))
                    (local.set $sq (f64x2.add (local.get $sp) (local.get $eps2)))
                    (v128.store offset=16 (local.get $lowAt) (f64x2.sub (v128.load offset=16 (local.get $lowAt)) (f64x2.mul (local.get $sq) (local.get $sq))))
                    (local.set $u (i32.add (local.get $u) (i32.const 2)))
                    (br $pairs)))
                (block $basisDone
                  (loop $basis
                    (br_if $basisDone (i32.ge_s (local.get $u) (local.get $to)))

                    (local.set $vec (i32.add (global.get $basis32) (i32.mul (local.get $u) (local.get $rowBytes))))
                    (local.set $a0 (v128.const i64x2 0 0)) (local.set $b0 (v128.const i64x2 0 0))
                    (local.set $a1 (v128.const i64x2 0 0)) (local.set $b1 (v128.const i64x2 0 0))
                    (local.set $a2 (v128.const i64x2 0 0)) (local.set $b2 (v128.const i64x2 0 0))
                    (local.set $a3 (v128.const i64x2 0 0)) (local.set $b3 (v128.const i64x2 0 0))
                    (local.set $x (i32.const 0))
                    (block $octDone
                      (loop $oct
                        (br_if $octDone (i32.ge_u (local.get $x) (local.get $blocked)))
                        (local.set $v0 (v128.load (i32.add (local.get $vec) (local.get $x))))
                        (local.set $v1 (v128.load offset=16 (i32.add (local.get $vec) (local.get $x))))
                        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (i32.add (local.get $r0) (local.get $x))) (local.get $v0))))
                        (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (v128.load offset=16 (i32.add (local.get $r0) (local.get $x))) (local.get $v1))))
                        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load (i32.add (local.get $r1) (local.get $x))) (local.get $v0))))
                        (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (v128.load offset=16 (i32.add (local.get $r1) (local.get $x))) (local.get $v1))))
                        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load (i32.add (local.get $r2) (local.get $x))) (local.get $v0))))
                        (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (v128.load offset=16 (i32.add (local.get $r2) (local.get $x))) (local.get $v1))))
                        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load (i32.add (local.get $r3) (local.get $x))) (local.get $v0))))
                        (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (v128.load offset=16 (i32.add (local.get $r3) (local.get $x))) (local.get $v1))))
                        (local.set $x (i32.add (local.get $x) (i32.const 32)))
                        (br $oct)))
                    ;; the four sums as one f32x4 (lo + hi, then a 4 × 4 transpose-and-add), then in float64
                    (local.set $a0 (f32x4.add (local.get $a0) (local.get $b0)))
                    (local.set $a1 (f32x4.add (local.get $a1) (local.get $b1)))
                    (local.set $a2 (f32x4.add (local.get $a2) (local.get $b2)))
                    (local.set $a3 (f32x4.add (local.get $a3) (local.get $b3)))
                    (local.set $a0 (f32x4.add
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
                    (local.set $a2 (f32x4.add
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3))))
                    (local.set $a0 (f32x4.add
                      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a0) (local.get $a2))
                      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a0) (local.get $a2))))
                    (local.set $c2 (f64x2.splat (f64.load (i32.add (global.get $offset) (i32.shl (local.get $u) (i32.const 3))))))
                    (local.set $at (i32.add (global.get $bound) (i32.shl (local.get $i) (i32.const 3))))
                    (local.set $lowAt (i32.add (global.get $boundLow) (i32.shl (local.get $i) (i32.const 3))))
                    (local.set $a1 (f64x2.abs (f64x2.add (f64x2.promote_low_f32x4 (local.get $a0)) (local.get $c2))))
                    (local.set $b0 (f64x2.max (f64x2.sub (local.get $a1) (local.get $eps2)) (local.get $zero)))
                    (v128.store (local.get $at) (f64x2.sub (v128.load (local.get $at)) (f64x2.mul (local.get $b0) (local.get $b0))))
                    (local.set $b0 (f64x2.add (local.get $a1) (local.get $eps2)))
                    (v128.store (local.get $lowAt) (f64x2.sub (v128.load (local.get $lowAt)) (f64x2.mul (local.get $b0) (local.get $b0))))
                    (local.set $a1 (f64x2.abs (f64x2.add (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a0) (local.get $a0))) (local.get $c2))))
                    (local.set $b1 (f64x2.max (f64x2.sub (local.get $a1) (local.get $eps2)) (local.get $zero)))
                    (v128.store offset=16 (local.get $at) (f64x2.sub (v128.load offset=16 (local.get $at)) (f64x2.mul (local.get $b1) (local.get $b1))))
                    (local.set $b1 (f64x2.add (local.get $a1) (local.get $eps2)))
                    (v128.store offset=16 (local.get $lowAt) (f64x2.sub (v128.load offset=16 (local.get $lowAt)) (f64x2.mul (local.get $b1) (local.get $b1))))
                    (local.set $u (i32.add (local.get $u) (i32.const 1)))
                    (br $basis))))
      (else
        (local.set $r (local.get $i))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $end)))
            (local.set $r0 (i32.add (global.get $emb32) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $x (local.get $u))
            (block $basisDone
              (loop $basis
                (br_if $basisDone (i32.ge_s (local.get $x) (local.get $to)))
                (call $screenSettle (local.get $r)
                  (call $dot32 (local.get $r0) (i32.add (global.get $basis32) (i32.mul (local.get $x) (local.get $rowBytes))))
                  (f64.load (i32.add (global.get $offset) (i32.shl (local.get $x) (i32.const 3))))
                  (local.get $eps))
                (local.set $x (i32.add (local.get $x) (i32.const 1)))
                (br $basis)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rows)))))
    (i32.store (i32.add (global.get $groupLevel) (i32.shl (local.get $g) (i32.const 2))) (local.get $to))
    (local.set $most (f64.const -inf))
    (local.set $r (local.get $i))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $end)))
        (local.set $at (i32.shl (local.get $r) (i32.const 3)))
        (local.set $w (f64.load (i32.add (global.get $weight) (local.get $at))))
        (local.set $up (f64.mul (local.get $w) (f64.add (f64.load (i32.add (global.get $bound) (local.get $at))) (local.get $slack))))
        (f64.store (i32.add (global.get $upper) (local.get $at)) (local.get $up))
        (if (i32.eqz (i32.load8_u (i32.add (global.get $taken) (local.get $r))))
          (then
            (local.set $low (f64.mul (local.get $w) (f64.sub (f64.load (i32.add (global.get $boundLow) (local.get $at))) (local.get $slack))))
            (if (f64.gt (local.get $low) (global.get $floor)) (then (global.set $floor (local.get $low))))
            (if (f64.gt (local.get $up) (local.get $most)) (then (local.set $most (local.get $up))))
            (if (i32.or (i32.lt_s (global.get $screenBest) (i32.const 0)) (f64.gt (local.get $up) (global.get $screenTop)))
              (then
                (global.set $runnerUp (global.get $screenTop))
                (global.set $screenBest (local.get $r))
                (global.set $screenTop (local.get $up)))
              (else
                (if (f64.gt (local.get $up) (global.get $runnerUp)) (then (global.set $runnerUp (local.get $up))))))
            (call $seedInsert (local.get $r) (local.get $up))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
    (f64.store (i32.add (global.get $groupUpper) (i32.shl (local.get $g) (i32.const 3))) (local.get $most)))

  ;; Screens for basis vector to−1. First the groups of the last call's seeds, then every other group
  ;; in order; a group whose highest upper bound is below $floor (the highest lower bound on a gain
  ;; found so far, starting from `floor`) cannot hold the best and keeps its stale bounds (valid,
  ;; gains only fall), the others go through $screenGroup. Returns the candidate not taken with the
  ;; highest upper bound among the screened groups (ties → lower index), or -1; leaves the second
  ;; highest in $runnerUp (-inf when none), the floor reached in $floor and the eight highest as the
  ;; next seeds.
  (func (export "dppScreen") (param $to i32) (param $eps f64) (param $slack f64) (param $start f64) (result i32)
    (local $g i32) (local $s i32) (local $seed i32)
    (global.set $floor (local.get $start))
    (global.set $screenBest (i32.const -1))
    (global.set $screenTop (f64.const -inf))
    (global.set $runnerUp (f64.const -inf))
    ;; the previous seeds move to slots 8..15 while the new list fills slots 0..7
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $s) (i32.const 8)))
        (i32.store offset=32 (i32.add (global.get $seeds) (i32.shl (local.get $s) (i32.const 2)))
          (i32.load (i32.add (global.get $seeds) (i32.shl (local.get $s) (i32.const 2)))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $copy)))
    (call $seedsClear)
    (local.set $s (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $s) (i32.const 8)))
        (local.set $seed (i32.load offset=32 (i32.add (global.get $seeds) (i32.shl (local.get $s) (i32.const 2)))))
        (if (i32.ge_s (local.get $seed) (i32.const 0))
          (then
            (local.set $g (i32.shr_u (local.get $seed) (i32.const 2)))
            (if (i32.lt_s (i32.load (i32.add (global.get $groupLevel) (i32.shl (local.get $g) (i32.const 2)))) (local.get $to))
              (then (call $screenGroup (local.get $g) (local.get $to) (local.get $eps) (local.get $slack))))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $each)))
    (local.set $g (i32.const 0))
    (block $done
      (loop $groups
        (br_if $done (i32.ge_u (i32.shl (local.get $g) (i32.const 2)) (global.get $n)))
        (if (i32.lt_s (i32.load (i32.add (global.get $groupLevel) (i32.shl (local.get $g) (i32.const 2)))) (local.get $to))
          (then
            (if (i32.eqz (f64.lt (f64.load (i32.add (global.get $groupUpper) (i32.shl (local.get $g) (i32.const 3)))) (global.get $floor)))
              (then (call $screenGroup (local.get $g) (local.get $to) (local.get $eps) (local.get $slack))))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $groups)))
    (global.get $screenBest))

  ;; The second highest upper bound of the last dppScreen among the groups it screened (-inf when
  ;; fewer than two).
  (func (export "dppScreenRunnerUp") (result f64) (global.get $runnerUp))

  ;; The highest lower bound on a gain the last dppScreen found (or its `start`).
  (func (export "dppScreenFloor") (result f64) (global.get $floor))

  ;; --- end of DPP (H5) ---
)
