;; The hot loop of VPC Flow Logs reading (scan.ts), in WebAssembly with 128-bit SIMD. Two passes over a slice of
;; text: the first finds the spaces and newlines of 16 bytes per step and writes their positions down without
;; branching on the text; the second reads each complete line's counted fields (start, end, log-status) and the
;; destination port and protocol, exactly as FlowLineScanner.fields does in JavaScript. Only what is rare
;; comes back to JavaScript, as events: a line to keep (wanted port and protocol, inside the time range), and an
;; account or region value that differs from the previous record's. Counters come back in the STATS block.
;; Compiled by src/tools/gen-flow-kernel.ts into kernel-wasm.ts (a test checks that file is fresh).
;;
;; Memory (one page is 64 KiB):
;;   PORTS    0       65536 bytes, 1 = wanted destination port
;;   PROTOS   65536   256 bytes, 1 = wanted protocol
;;   STATS    65792   i32 lineNo, records, malformed, firstMalformed (-1: none), nodata, skipdata, outside,
;;                    events; f64 at +32 earliest start (+inf: none), at +40 latest end (-inf: none)
;;   EVENTS   65856   16384 events of 16 bytes: kind (1 keep, 2 account, 3 region), line, from, to
;;   SPACES   328000  position of every space of the slice (i32), 262144 + 8 entries
;;   LINES    1376608 position of every newline of the slice (i32), 262144 + 8 entries
;;   BEFORE   2425216 for each newline, how many spaces come before it in the slice (i32), 262144 + 8 entries
;;   TEXT     3473824 the text: 256 KiB, then 16 bytes of slack for the last 16-byte load
(module
  (memory (export "memory") 58)

  (global $fieldSpaces (mut i32) (i32.const 0))
  (global $iStart (mut i32) (i32.const -1))
  (global $iEnd (mut i32) (i32.const -1))
  (global $iStatus (mut i32) (i32.const -1))
  (global $iAccount (mut i32) (i32.const -1))
  (global $iRegion (mut i32) (i32.const -1))
  (global $iPort (mut i32) (i32.const -1))
  (global $iProto (mut i32) (i32.const -1))
  (global $since (mut f64) (f64.const 0))
  (global $until (mut f64) (f64.const 0))
  (global $lineNo (mut i32) (i32.const 0))
  ;; The previous record's account and region field (-1: none yet in this call: the next one is reported).
  (global $accountFrom (mut i32) (i32.const -1))
  (global $accountTo (mut i32) (i32.const -1))
  (global $regionFrom (mut i32) (i32.const -1))
  (global $regionTo (mut i32) (i32.const -1))

  ;; Unsigned decimal at [s, e): -1 for `-`, -2 when not 1 to 15 digits, else its value. Eight digits at a time
  ;; where there are eight: all digits when every byte's high nibble is 3 and adding 6 keeps it so; their value by
  ;; three multiplications (pairs, then fours, then eight).
  (func $number (param $s i32) (param $e i32) (result i64)
    (local $length i32) (local $value i64) (local $digit i32) (local $eight i64)
    (local.set $length (i32.sub (local.get $e) (local.get $s)))
    (if (i32.and (i32.eq (local.get $length) (i32.const 1)) (i32.eq (i32.load8_u (local.get $s)) (i32.const 45)))
      (then (return (i64.const -1))))
    (if (i32.or (i32.le_s (local.get $length) (i32.const 0)) (i32.gt_s (local.get $length) (i32.const 15)))
      (then (return (i64.const -2))))
    (block $short
      (loop $eights
        (br_if $short (i32.lt_s (i32.sub (local.get $e) (local.get $s)) (i32.const 8)))
        (local.set $eight (i64.load (local.get $s)))
        (if (i32.or
              (i64.ne (i64.and (local.get $eight) (i64.const 0xf0f0f0f0f0f0f0f0)) (i64.const 0x3030303030303030))
              (i64.ne (i64.and (i64.add (local.get $eight) (i64.const 0x0606060606060606)) (i64.const 0xf0f0f0f0f0f0f0f0)) (i64.const 0x3030303030303030)))
          (then (return (i64.const -2))))
        (local.set $eight (i64.shr_u (i64.mul (i64.and (local.get $eight) (i64.const 0x0f0f0f0f0f0f0f0f)) (i64.const 2561)) (i64.const 8)))
        (local.set $eight (i64.shr_u (i64.mul (i64.and (local.get $eight) (i64.const 0x00ff00ff00ff00ff)) (i64.const 6553601)) (i64.const 16)))
        (local.set $eight (i64.shr_u (i64.mul (i64.and (local.get $eight) (i64.const 0x0000ffff0000ffff)) (i64.const 42949672960001)) (i64.const 32)))
        (local.set $value (i64.add (i64.mul (local.get $value) (i64.const 100000000)) (local.get $eight)))
        (local.set $s (i32.add (local.get $s) (i32.const 8)))
        (br $eights)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $s) (local.get $e)))
        (local.set $digit (i32.sub (i32.load8_u (local.get $s)) (i32.const 48)))
        (if (i32.gt_u (local.get $digit) (i32.const 9)) (then (return (i64.const -2))))
        (local.set $value (i64.add (i64.mul (local.get $value) (i64.const 10)) (i64.extend_i32_u (local.get $digit))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $next)))
    (local.get $value))

  ;; A time (epoch seconds, ten digits) without a loop; any other length as $number reads it.
  (func $time (param $s i32) (param $e i32) (result i64)
    (local $eight i64) (local $two i32)
    (if (i32.ne (i32.sub (local.get $e) (local.get $s)) (i32.const 10))
      (then (return (call $number (local.get $s) (local.get $e)))))
    (local.set $eight (i64.load (local.get $s)))
    (local.set $two (i32.load16_u offset=8 (local.get $s)))
    (if (i32.or
          (i32.or
            (i64.ne (i64.and (local.get $eight) (i64.const 0xf0f0f0f0f0f0f0f0)) (i64.const 0x3030303030303030))
            (i64.ne (i64.and (i64.add (local.get $eight) (i64.const 0x0606060606060606)) (i64.const 0xf0f0f0f0f0f0f0f0)) (i64.const 0x3030303030303030)))
          (i32.or
            (i32.ne (i32.and (local.get $two) (i32.const 0xf0f0)) (i32.const 0x3030))
            (i32.ne (i32.and (i32.add (local.get $two) (i32.const 0x0606)) (i32.const 0xf0f0)) (i32.const 0x3030))))
      (then (return (i64.const -2))))
    (local.set $eight (i64.shr_u (i64.mul (i64.and (local.get $eight) (i64.const 0x0f0f0f0f0f0f0f0f)) (i64.const 2561)) (i64.const 8)))
    (local.set $eight (i64.shr_u (i64.mul (i64.and (local.get $eight) (i64.const 0x00ff00ff00ff00ff)) (i64.const 6553601)) (i64.const 16)))
    (local.set $eight (i64.shr_u (i64.mul (i64.and (local.get $eight) (i64.const 0x0000ffff0000ffff)) (i64.const 42949672960001)) (i64.const 32)))
    (i64.add
      (i64.mul (local.get $eight) (i64.const 100))
      (i64.extend_i32_u (i32.add (i32.mul (i32.and (local.get $two) (i32.const 0x0f)) (i32.const 10)) (i32.and (i32.shr_u (local.get $two) (i32.const 8)) (i32.const 0x0f))))))

  ;; Field k of a line [line, e) with n spaces, the first at $sp (an address in SPACES), runs from
  ;; `k ? sp[k - 1] + 1 : line` to `k == n ? e : sp[k]`,
  ;; written out with `select` where used (V8 does not inline calls between WebAssembly functions).

  (func $count (param $at i32)
    (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1))))

  (func $event (param $kind i32) (param $s i32) (param $e i32)
    (local $at i32)
    (local.set $at (i32.add (i32.const 65856) (i32.shl (i32.load (i32.const 65820)) (i32.const 4))))
    (i32.store (local.get $at) (local.get $kind))
    (i32.store offset=4 (local.get $at) (global.get $lineNo))
    (i32.store offset=8 (local.get $at) (i32.sub (local.get $s) (i32.const 3473824)))
    (i32.store offset=12 (local.get $at) (i32.sub (local.get $e) (i32.const 3473824)))
    (call $count (i32.const 65820)))

  (func $malformed
    (call $count (i32.const 65800))
    (if (i32.lt_s (i32.load (i32.const 65804)) (i32.const 0))
      (then (i32.store (i32.const 65804) (global.get $lineNo)))))

  ;; True when the bytes [s1, e1) and [s2, e2) are the same: from 8 to 16 bytes (an account id, a region) as two
  ;; overlapping 8-byte words, else byte by byte.
  (func $same (param $s1 i32) (param $e1 i32) (param $s2 i32) (param $e2 i32) (result i32)
    (local $length i32)
    (local.set $length (i32.sub (local.get $e1) (local.get $s1)))
    (if (i32.ne (local.get $length) (i32.sub (local.get $e2) (local.get $s2)))
      (then (return (i32.const 0))))
    (if (i32.and (i32.ge_u (local.get $length) (i32.const 8)) (i32.le_u (local.get $length) (i32.const 16)))
      (then (return (i32.and
        (i64.eq (i64.load (local.get $s1)) (i64.load (local.get $s2)))
        (i64.eq (i64.load (i32.sub (local.get $e1) (i32.const 8))) (i64.load (i32.sub (local.get $e2) (i32.const 8))))))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $s1) (local.get $e1)))
        (if (i32.ne (i32.load8_u (local.get $s1)) (i32.load8_u (local.get $s2)))
          (then (return (i32.const 0))))
        (local.set $s1 (i32.add (local.get $s1) (i32.const 1)))
        (local.set $s2 (i32.add (local.get $s2) (i32.const 1)))
        (br $next)))
    (i32.const 1))

  ;; One complete line [line, e) with $n spaces: FlowLineScanner.fields.
  (func $record (param $line i32) (param $e i32) (param $n i32) (param $sp i32)
    (local $start i64) (local $end i64) (local $last i64) (local $port i64) (local $protocol i64)
    (local $c i32) (local $s i32) (local $f i32)
    (if (i32.ne (local.get $n) (global.get $fieldSpaces))
      (then (call $malformed) (return)))
    (local.set $start (i64.const -1))
    (if (i32.ge_s (global.get $iStart) (i32.const 0))
      (then
        (local.set $start (call $time
          (select (local.get $line) (i32.add (i32.load (i32.sub (i32.add (local.get $sp) (i32.shl (global.get $iStart) (i32.const 2))) (i32.const 4))) (i32.const 1)) (i32.eqz (global.get $iStart)))
          (select (local.get $e) (i32.load (i32.add (local.get $sp) (i32.shl (global.get $iStart) (i32.const 2)))) (i32.eq (global.get $iStart) (local.get $n)))))
        (if (i64.eq (local.get $start) (i64.const -2))
          (then (call $malformed) (return)))))
    (local.set $end (local.get $start))
    (if (i32.ge_s (global.get $iEnd) (i32.const 0))
      (then
        (local.set $end (call $time
          (select (local.get $line) (i32.add (i32.load (i32.sub (i32.add (local.get $sp) (i32.shl (global.get $iEnd) (i32.const 2))) (i32.const 4))) (i32.const 1)) (i32.eqz (global.get $iEnd)))
          (select (local.get $e) (i32.load (i32.add (local.get $sp) (i32.shl (global.get $iEnd) (i32.const 2)))) (i32.eq (global.get $iEnd) (local.get $n)))))
        (if (i64.eq (local.get $end) (i64.const -2))
          (then (call $malformed) (return)))))
    (call $count (i32.const 65796))
    (if (i32.ge_s (global.get $iStatus) (i32.const 0))
      (then
        (local.set $c (i32.load8_u (select (local.get $line) (i32.add (i32.load (i32.sub (i32.add (local.get $sp) (i32.shl (global.get $iStatus) (i32.const 2))) (i32.const 4))) (i32.const 1)) (i32.eqz (global.get $iStatus)))))
        (if (i32.eq (local.get $c) (i32.const 0x4e))
          (then (call $count (i32.const 65808)))
          (else (if (i32.eq (local.get $c) (i32.const 0x53))
            (then (call $count (i32.const 65812))))))))
    (local.set $last (select (local.get $end) (local.get $start) (i64.ge_s (local.get $end) (i64.const 0))))
    (if (i64.ge_s (local.get $start) (i64.const 0))
      (then
        (if (f64.lt (f64.convert_i64_s (local.get $start)) (f64.load (i32.const 65824)))
          (then (f64.store (i32.const 65824) (f64.convert_i64_s (local.get $start)))))
        (if (f64.gt (f64.convert_i64_s (local.get $last)) (f64.load (i32.const 65832)))
          (then (f64.store (i32.const 65832) (f64.convert_i64_s (local.get $last)))))))
    (if (i32.ge_s (global.get $iAccount) (i32.const 0))
      (then
        (local.set $s (select (local.get $line) (i32.add (i32.load (i32.sub (i32.add (local.get $sp) (i32.shl (global.get $iAccount) (i32.const 2))) (i32.const 4))) (i32.const 1)) (i32.eqz (global.get $iAccount))))
        (local.set $f (select (local.get $e) (i32.load (i32.add (local.get $sp) (i32.shl (global.get $iAccount) (i32.const 2)))) (i32.eq (global.get $iAccount) (local.get $n))))
        (if (i32.or (i32.lt_s (global.get $accountFrom) (i32.const 0))
              (i32.eqz (call $same (local.get $s) (local.get $f) (global.get $accountFrom) (global.get $accountTo))))
          (then (call $event (i32.const 2) (local.get $s) (local.get $f))))
        (global.set $accountFrom (local.get $s))
        (global.set $accountTo (local.get $f))))
    (if (i32.ge_s (global.get $iRegion) (i32.const 0))
      (then
        (local.set $s (select (local.get $line) (i32.add (i32.load (i32.sub (i32.add (local.get $sp) (i32.shl (global.get $iRegion) (i32.const 2))) (i32.const 4))) (i32.const 1)) (i32.eqz (global.get $iRegion))))
        (local.set $f (select (local.get $e) (i32.load (i32.add (local.get $sp) (i32.shl (global.get $iRegion) (i32.const 2)))) (i32.eq (global.get $iRegion) (local.get $n))))
        (if (i32.or (i32.lt_s (global.get $regionFrom) (i32.const 0))
              (i32.eqz (call $same (local.get $s) (local.get $f) (global.get $regionFrom) (global.get $regionTo))))
          (then (call $event (i32.const 3) (local.get $s) (local.get $f))))
        (global.set $regionFrom (local.get $s))
        (global.set $regionTo (local.get $f))))
    (local.set $port (call $number
      (select (local.get $line) (i32.add (i32.load (i32.sub (i32.add (local.get $sp) (i32.shl (global.get $iPort) (i32.const 2))) (i32.const 4))) (i32.const 1)) (i32.eqz (global.get $iPort)))
      (select (local.get $e) (i32.load (i32.add (local.get $sp) (i32.shl (global.get $iPort) (i32.const 2)))) (i32.eq (global.get $iPort) (local.get $n)))))
    (if (i32.or (i64.lt_s (local.get $port) (i64.const 0)) (i64.gt_s (local.get $port) (i64.const 65535)))
      (then (return)))
    (if (i32.eqz (i32.load8_u (i32.wrap_i64 (local.get $port))))
      (then (return)))
    (local.set $protocol (call $number
      (select (local.get $line) (i32.add (i32.load (i32.sub (i32.add (local.get $sp) (i32.shl (global.get $iProto) (i32.const 2))) (i32.const 4))) (i32.const 1)) (i32.eqz (global.get $iProto)))
      (select (local.get $e) (i32.load (i32.add (local.get $sp) (i32.shl (global.get $iProto) (i32.const 2)))) (i32.eq (global.get $iProto) (local.get $n)))))
    (if (i32.or (i64.lt_s (local.get $protocol) (i64.const 0)) (i64.gt_s (local.get $protocol) (i64.const 255)))
      (then (return)))
    (if (i32.eqz (i32.load8_u offset=65536 (i32.wrap_i64 (local.get $protocol))))
      (then (return)))
    (if (i64.ge_s (local.get $start) (i64.const 0))
      (then
        (if (i32.or (f64.lt (f64.convert_i64_s (local.get $last)) (global.get $since))
              (f64.gt (f64.convert_i64_s (local.get $start)) (global.get $until)))
          (then (call $count (i32.const 65816)) (return)))))
    (call $event (i32.const 1) (local.get $line) (local.get $e)))

  ;; Reads the complete lines of TEXT[0, length), numbering them from lineNo + 1. Returns where the first line not
  ;; read starts (the unfinished last one, or the next one when EVENTS is nearly full: call again from there).
  (func (export "scan")
    (param $length i32) (param $lineNo i32) (param $fieldSpaces i32)
    (param $iStart i32) (param $iEnd i32) (param $iStatus i32) (param $iAccount i32) (param $iRegion i32)
    (param $iPort i32) (param $iProto i32) (param $since f64) (param $until f64)
    (result i32)
    (local $block i32) (local $end i32) (local $bytes v128) (local $spaceMask i32) (local $newlineMask i32)
    (local $left i32) (local $spaces i32) (local $lines i32) (local $at i32) (local $k i32) (local $count i32)
    (local $i i32) (local $line i32) (local $newline i32) (local $e i32) (local $first i32) (local $next i32)
    (global.set $fieldSpaces (local.get $fieldSpaces))
    (global.set $iStart (local.get $iStart))
    (global.set $iEnd (local.get $iEnd))
    (global.set $iStatus (local.get $iStatus))
    (global.set $iAccount (local.get $iAccount))
    (global.set $iRegion (local.get $iRegion))
    (global.set $iPort (local.get $iPort))
    (global.set $iProto (local.get $iProto))
    (global.set $since (local.get $since))
    (global.set $until (local.get $until))
    (global.set $lineNo (local.get $lineNo))
    (global.set $accountFrom (i32.const -1))
    (global.set $regionFrom (i32.const -1))
    (memory.fill (i32.const 65792) (i32.const 0) (i32.const 32))
    (i32.store (i32.const 65804) (i32.const -1))
    (f64.store (i32.const 65824) (f64.const inf))
    (f64.store (i32.const 65832) (f64.const -inf))
    ;; Stage one. Per block: four space positions and one newline position written whatever the counts (most
    ;; blocks have at most four spaces and one newline; entries past the count are overwritten later), so no
    ;; branch depends on the text but the rare crowded block.
    (local.set $block (i32.const 3473824))
    (local.set $end (i32.add (i32.const 3473824) (local.get $length)))
    (block $stageOne
      (loop $blocks
        (br_if $stageOne (i32.ge_u (local.get $block) (local.get $end)))
        (local.set $bytes (v128.load (local.get $block)))
        (local.set $spaceMask (i8x16.bitmask (i8x16.eq (local.get $bytes) (i8x16.splat (i32.const 32)))))
        (local.set $newlineMask (i8x16.bitmask (i8x16.eq (local.get $bytes) (i8x16.splat (i32.const 10)))))
        (local.set $left (i32.sub (local.get $end) (local.get $block)))
        (if (i32.lt_u (local.get $left) (i32.const 16))
          (then
            (local.set $spaceMask (i32.and (local.get $spaceMask) (i32.sub (i32.shl (i32.const 1) (local.get $left)) (i32.const 1))))
            (local.set $newlineMask (i32.and (local.get $newlineMask) (i32.sub (i32.shl (i32.const 1) (local.get $left)) (i32.const 1))))))
        ;; The first newline, with the count of spaces before it.
        (local.set $at (i32.shl (local.get $lines) (i32.const 2)))
        (local.set $k (i32.ctz (local.get $newlineMask)))
        (i32.store offset=1376608 (local.get $at) (i32.add (local.get $block) (local.get $k)))
        (i32.store offset=2425216 (local.get $at)
          (i32.add (local.get $spaces) (i32.popcnt (i32.and (local.get $spaceMask) (i32.sub (i32.shl (i32.const 1) (local.get $k)) (i32.const 1))))))
        (local.set $count (i32.popcnt (local.get $newlineMask)))
        (if (i32.gt_u (local.get $count) (i32.const 1))
          (then
            ;; More newlines in the block (short or empty lines): one at a time.
            (local.set $newlineMask (i32.and (local.get $newlineMask) (i32.sub (local.get $newlineMask) (i32.const 1))))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (loop $moreNewlines
              (local.set $k (i32.ctz (local.get $newlineMask)))
              (i32.store offset=1376608 (local.get $at) (i32.add (local.get $block) (local.get $k)))
              (i32.store offset=2425216 (local.get $at)
                (i32.add (local.get $spaces) (i32.popcnt (i32.and (local.get $spaceMask) (i32.sub (i32.shl (i32.const 1) (local.get $k)) (i32.const 1))))))
              (local.set $at (i32.add (local.get $at) (i32.const 4)))
              (local.set $newlineMask (i32.and (local.get $newlineMask) (i32.sub (local.get $newlineMask) (i32.const 1))))
              (br_if $moreNewlines (local.get $newlineMask)))))
        (local.set $lines (i32.add (local.get $lines) (local.get $count)))
        ;; The spaces.
        (local.set $at (i32.shl (local.get $spaces) (i32.const 2)))
        (local.set $count (i32.popcnt (local.get $spaceMask)))
        (i32.store offset=328000 (local.get $at) (i32.add (local.get $block) (i32.ctz (local.get $spaceMask))))
        (local.set $spaceMask (i32.and (local.get $spaceMask) (i32.sub (local.get $spaceMask) (i32.const 1))))
        (i32.store offset=328004 (local.get $at) (i32.add (local.get $block) (i32.ctz (local.get $spaceMask))))
        (local.set $spaceMask (i32.and (local.get $spaceMask) (i32.sub (local.get $spaceMask) (i32.const 1))))
        (i32.store offset=328008 (local.get $at) (i32.add (local.get $block) (i32.ctz (local.get $spaceMask))))
        (local.set $spaceMask (i32.and (local.get $spaceMask) (i32.sub (local.get $spaceMask) (i32.const 1))))
        (i32.store offset=328012 (local.get $at) (i32.add (local.get $block) (i32.ctz (local.get $spaceMask))))
        (local.set $spaceMask (i32.and (local.get $spaceMask) (i32.sub (local.get $spaceMask) (i32.const 1))))
        (if (i32.gt_u (local.get $count) (i32.const 4))
          (then
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (loop $moreSpaces
              (i32.store offset=328000 (local.get $at) (i32.add (local.get $block) (i32.ctz (local.get $spaceMask))))
              (local.set $at (i32.add (local.get $at) (i32.const 4)))
              (local.set $spaceMask (i32.and (local.get $spaceMask) (i32.sub (local.get $spaceMask) (i32.const 1))))
              (br_if $moreSpaces (local.get $spaceMask)))))
        (local.set $spaces (i32.add (local.get $spaces) (local.get $count)))
        (local.set $block (i32.add (local.get $block) (i32.const 16)))
        (br $blocks)))
    ;; Stage two: line by line. A carriage return before the newline is not part of the line; empty lines are
    ;; counted, not read.
    (local.set $line (i32.const 3473824))
    (block $stageTwo
      (loop $eachLine
        (br_if $stageTwo (i32.ge_u (local.get $i) (local.get $lines)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $newline (i32.load offset=1376608 (local.get $at)))
        (local.set $next (i32.load offset=2425216 (local.get $at)))
        (global.set $lineNo (i32.add (global.get $lineNo) (i32.const 1)))
        (local.set $e (local.get $newline))
        (if (i32.gt_u (local.get $e) (local.get $line))
          (then (if (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 13))
            (then (local.set $e (i32.sub (local.get $e) (i32.const 1)))))))
        (if (i32.gt_u (local.get $e) (local.get $line))
          (then (call $record (local.get $line) (local.get $e) (i32.sub (local.get $next) (local.get $first))
            (i32.add (i32.const 328000) (i32.shl (local.get $first) (i32.const 2))))))
        (local.set $first (local.get $next))
        (local.set $line (i32.add (local.get $newline) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        ;; Room for the next line's three events at most.
        (br_if $stageTwo (i32.gt_u (i32.load (i32.const 65820)) (i32.const 16380)))
        (br $eachLine)))
    (i32.store (i32.const 65792) (global.get $lineNo))
    (i32.sub (local.get $line) (i32.const 3473824)))
)
