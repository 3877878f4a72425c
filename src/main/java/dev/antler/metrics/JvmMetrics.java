package dev.antler.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;

/** The JVM's memory, collections, threads and uptime, with the names Prometheus' own JVM exporters use. */
final class JvmMetrics {

    private JvmMetrics() {}

    static void write(PromText out) {
        var memory = ManagementFactory.getMemoryMXBean();
        out.family("jvm_memory_used_bytes", "gauge", "Used bytes of a JVM memory area.");
        out.sample("jvm_memory_used_bytes", PromText.labels("area", "heap"), memory.getHeapMemoryUsage().getUsed());
        out.sample("jvm_memory_used_bytes", PromText.labels("area", "nonheap"),
                memory.getNonHeapMemoryUsage().getUsed());
        out.family("jvm_memory_committed_bytes", "gauge", "Committed bytes of a JVM memory area.");
        out.sample("jvm_memory_committed_bytes", PromText.labels("area", "heap"),
                memory.getHeapMemoryUsage().getCommitted());
        out.sample("jvm_memory_committed_bytes", PromText.labels("area", "nonheap"),
                memory.getNonHeapMemoryUsage().getCommitted());
        out.family("jvm_memory_max_bytes", "gauge", "Max bytes of a JVM memory area (-1 when unbounded).");
        out.sample("jvm_memory_max_bytes", PromText.labels("area", "heap"), memory.getHeapMemoryUsage().getMax());
        out.sample("jvm_memory_max_bytes", PromText.labels("area", "nonheap"), memory.getNonHeapMemoryUsage().getMax());
        out.family("jvm_memory_pool_used_bytes", "gauge", "Used bytes of a JVM memory pool.");
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = pool.getUsage();
            if (usage != null) {
                out.sample("jvm_memory_pool_used_bytes", PromText.labels("pool", pool.getName()), usage.getUsed());
            }
        }
        out.family("jvm_gc_collection_seconds", "summary", "Time spent in a garbage collector.");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String labels = PromText.labels("gc", gc.getName());
            out.sample("jvm_gc_collection_seconds_count", labels, Math.max(0, gc.getCollectionCount()));
            out.sample("jvm_gc_collection_seconds_sum", labels, PromText.seconds(Math.max(0, gc.getCollectionTime()) * 1000));
        }
        out.family("jvm_threads_current", "gauge", "Live threads (virtual threads not included).");
        out.sample("jvm_threads_current", "", ManagementFactory.getThreadMXBean().getThreadCount());
        out.family("process_uptime_seconds", "gauge", "Seconds since the process started.");
        out.sample("process_uptime_seconds", "", PromText.seconds(ManagementFactory.getRuntimeMXBean().getUptime() * 1000));
    }
}
