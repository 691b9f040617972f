# JVM options shared by ./connbal, scripts/flink-cluster and bench/run; sourced, not run.

# Beam and Flink reflect into JDK internals on Java 17: the --add-opens list, as a java @argument
# file that Maven's test JVMs read too.
jvm_add_opens=("@$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/jvm-add-opens.args")

# The optimizing compiler (C2) takes a method after 5,000 calls (or 40,000 loop turns) by default.
# A run executes much Beam and Flink set-up code that often (translating the pipeline,
# deserializing every task's functions, scheduling), and compiling that code with C2 costs more
# CPU than it saves, since it runs for seconds at most. Thirty times the thresholds leaves it to
# the quick compiler (C1) and still hands the per-packet code, which runs millions of times, to C2
# early in the reading. The reading loop and the frame and DNS decoders (dev.connbal.snoop,
# dev.connbal.transforms.decode) keep the default thresholds: they are the per-packet code, which
# would otherwise spend the start of the reading in the profiling tier; exempting all of
# connbal's code cost more than it gained. Figures: bench/RESULTS.md, "JIT thresholds" and "JIT
# thresholds for the per-packet code".
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
# gigabytes and keeps little live: each range's read buffer and aggregates while reading, the
# timeline's state after (the DNS partials wait in a spill file, not on the heap). G1 sizes its
# young generation and heap for throughput and grows the process far beyond what is live, and
# every page the heap touches for the first time costs a page fault and clearing in the kernel.
# The serial collector with a fixed 128 MB young generation reuses the same pages: young
# collections find almost nothing alive, and the old generation starts small and grows only when
# a full collection finds it too small, still up to the default limit (a quarter of RAM) for a
# very large archive's timeline. Figures: bench/RESULTS.md, "The collector" and "The timeline's
# memory".
jvm_heap_opts=(-XX:+UseSerialGC -Xmn128m -Xms192m)
