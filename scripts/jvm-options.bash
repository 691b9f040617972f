# JVM options shared by ./connbal, scripts/flink-cluster and bench/run; sourced, not run.

# Beam and Flink reflect into JDK internals on Java 17: the --add-opens list, as a java @argument
# file that Maven's test JVMs read too.
jvm_add_opens=("@$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/jvm-add-opens.args")

# The optimizing compiler (C2) takes a method after 5,000 calls (or 40,000 loop turns) by default.
# A run executes much Beam and Flink set-up code that often (translating the pipeline,
# deserializing every task's functions, scheduling), and compiling it with C2 took 10 to 13 s of
# CPU in a 12 s run of 1 GiB on 2 cores (-XX:+CITime), while that code runs for seconds at most.
# Thirty times the thresholds leaves it to the quick compiler (C1) and still hands the per-packet
# code, which runs millions of times, to C2 within the first second of reading. Measured on 2
# cores: 1 GiB 8.7-11.1 s instead of 10.6-14.7 s, 4 GiB 19.5-20.7 s instead of 22.8-29.1 s, the
# example capture 3.3-3.8 s instead of 4.3-4.8 s (bench/RESULTS.md, "JIT thresholds").
# The reading loop and the frame and DNS decoders (dev.connbal.snoop, dev.connbal.transforms.decode)
# are exempt: they are the per-packet code, and at thirty times the thresholds the reading loop
# ran its first second in the profiling tier (a 1 GiB parse stage at 720-830 MB/s instead of
# 1,120-1,260); scaled back to the default thresholds for them alone, an 8 GiB run took
# 19.6-20.9 s instead of 21.1-23.0 s, and exempting all of connbal's code cost more than it gained
# (bench/RESULTS.md, "JIT thresholds for the per-packet code").
jvm_jit_opts=(
  -XX:Tier4InvocationThreshold=150000
  -XX:Tier4MinInvocationThreshold=18000
  -XX:Tier4CompileThreshold=450000
  -XX:Tier4BackEdgeThreshold=1200000
  -XX:CompileCommand=quiet
  '-XX:CompileCommand=CompileThresholdScaling,dev.connbal.snoop.*::*,0.0333'
  '-XX:CompileCommand=CompileThresholdScaling,dev.connbal.transforms.decode.*::*,0.0333'
)

# The heap of a ./connbal run (and of bench/run's probes, which measure what it runs). A run reads
# gigabytes and keeps little: tens of MB live while reading, the timeline's state after it (the
# DNS partials wait in a spill file, not on the heap). G1 sized its young generation and heap for
# throughput and grew the process to 0.8 GB on 1 GiB and 1.2-1.8 GB on 8 GiB; on this VM every
# page the heap touches for the first time costs a kernel page fault and clearing (10 % of a
# parse run's CPU). The serial collector with a fixed 128 MB young generation reuses the same
# pages: young collections find almost nothing alive and take a few ms, and the old generation
# starts at 64 MB and grows only when a full collection finds it too small, still up to the
# default limit (a quarter of RAM) for a very large archive's timeline. Measured on 2 cores,
# alternating with G1 (stop-9 code): 1 GiB 7.7 s and 446 MiB instead of 7.3-9.1 s and 790 MiB,
# 4 GiB 18.0-18.3 s and 650-660 MiB instead of 15.2-20.2 s and 1.15 GB; with the timeline
# spilled and -Xms192m, 8 GiB peaks at 510 MiB (bench/RESULTS.md, "The collector" and "The
# timeline's memory").
jvm_heap_opts=(-XX:+UseSerialGC -Xmn128m -Xms192m)
