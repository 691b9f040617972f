# JVM options shared by ./connbal and scripts/flink-cluster; sourced, not run.

# Beam and Flink reflect into JDK internals on Java 17 (the list of Flink's own bin/config.sh).
jvm_add_opens=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.math=ALL-UNNAMED
  --add-opens=java.sql/java.sql=ALL-UNNAMED
)

# The optimizing compiler (C2) takes a method after 5,000 calls (or 40,000 loop turns) by default.
# A run executes much Beam and Flink set-up code that often (translating the pipeline,
# deserializing every task's functions, scheduling), and compiling it with C2 took 10 to 13 s of
# CPU in a 12 s run of 1 GiB on 2 cores (-XX:+CITime), while that code runs for seconds at most.
# Thirty times the thresholds leaves it to the quick compiler (C1) and still hands the per-packet
# code, which runs millions of times, to C2 within the first second of reading. Measured on 2
# cores: 1 GiB 8.7-11.1 s instead of 10.6-14.7 s, 4 GiB 19.5-20.7 s instead of 22.8-29.1 s, the
# example capture 3.3-3.8 s instead of 4.3-4.8 s (bench/RESULTS.md, "JIT thresholds").
jvm_jit_opts=(
  -XX:Tier4InvocationThreshold=150000
  -XX:Tier4MinInvocationThreshold=18000
  -XX:Tier4CompileThreshold=450000
  -XX:Tier4BackEdgeThreshold=1200000
)

# Heap growth of a ./connbal run. G1 grows the heap whenever collections take more than about 8 %
# of the time (GCTimeRatio=12), and a run that reads gigabytes allocates fast while keeping little:
# on 4 and 8 GiB captures the heap grew to 1.0-1.3 GB and the process to 1.5-1.8 GB, of which
# -Xmx1g showed the run needs under half. Allowing collections 20 % of the time (GCTimeRatio=4)
# keeps the process at 1.2 GB with no measurable loss of time, and unlike a fixed -Xmx it still
# lets the heap grow to its default limit (a quarter of RAM) when a very large archive's DNS
# traffic needs it (bench/RESULTS.md, "Heap growth").
jvm_heap_opts=(-XX:GCTimeRatio=4)
