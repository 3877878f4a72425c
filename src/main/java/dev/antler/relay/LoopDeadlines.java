package dev.antler.relay;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Arrays;

/**
 * The deadlines of one event-loop thread, in a timing wheel of slots of {@value #PERIOD_MS} ms ({@value #SLOTS} slots)
 * turned by one periodic timer while any deadline is held. Setting and removing a deadline is an append and a
 * swap-remove: a Vert.x timer set and cancelled per request (body reads, attempts) was a measurable share of the
 * relay's CPU, and a sweep that looked at every attempt every period cost as much again with thousands of long
 * streams open. An entry due beyond one turn of the wheel stays in its slot until the turn it is due in. Only the
 * event loop that holds an entry may schedule or remove it.
 */
final class LoopDeadlines {

    /** Something with a deadline, told when it is due (on the event loop). */
    abstract static class Entry {
        private long dueTick;
        private int slot = -1;
        private int index;

        /** The deadline passed; {@code now} is the {@link System#nanoTime()} of the sweep. The entry is no longer held. */
        abstract void due(long now);
    }

    static final long PERIOD_MS = 20;
    private static final long PERIOD_NANOS = PERIOD_MS * 1_000_000;
    private static final int SLOTS = 1024;
    private static final ThreadLocal<LoopDeadlines> PER_THREAD = new ThreadLocal<>();

    private final Vertx vertx;
    /** Each slot's entries in {@code slots[i][0, sizes[i])}. */
    private final Entry[][] slots;
    private final int[] sizes;
    /** The entries a sweep found due, in {@code due[0, dueCount)}. */
    private Entry[] due = new Entry[8];
    private int held;
    /** The last tick whose slot was looked at. */
    private long sweptTick;
    private long timer = -1;

    /** A wheel of {@code slotCount} slots (a power of two); create it on the event loop that will use it. */
    LoopDeadlines(Vertx vertx, int slotCount) {
        if (Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("slots: " + slotCount + " (expected: a power of two)");
        }
        this.vertx = vertx;
        this.slots = new Entry[slotCount][];
        this.sizes = new int[slotCount];
        Arrays.fill(slots, new Entry[0]);
    }

    /** The deadlines of the calling event loop. */
    static LoopDeadlines ofThisThread(Vertx vertx) {
        if (!Context.isOnEventLoopThread()) {
            throw new IllegalStateException("loop deadlines are kept on an event loop; called on "
                    + Thread.currentThread().getName());
        }
        LoopDeadlines deadlines = PER_THREAD.get();
        if (deadlines == null || deadlines.vertx != vertx) {
            deadlines = new LoopDeadlines(vertx, SLOTS);
            PER_THREAD.set(deadlines);
        }
        return deadlines;
    }

    /** Holds {@code entry} (again) until the first sweep at or after {@code atNanos} ({@link System#nanoTime()}). */
    void schedule(Entry entry, long atNanos) {
        remove(entry);
        if (timer < 0) {
            // Set from this event loop, so the timer fires on it: the sweeps need no locking.
            timer = vertx.setPeriodic(PERIOD_MS, id -> sweep());
            sweptTick = Math.floorDiv(System.nanoTime(), PERIOD_NANOS);
        }
        long tick = Math.max(Math.ceilDiv(atNanos, PERIOD_NANOS), sweptTick + 1);
        int slot = (int) (tick & (slots.length - 1));
        entry.dueTick = tick;
        entry.slot = slot;
        entry.index = sizes[slot];
        if (sizes[slot] == slots[slot].length) {
            grow(slot);
        }
        slots[slot][sizes[slot]++] = entry;
        held++;
    }

    /** Stops holding {@code entry}; nothing if it is not held. */
    void remove(Entry entry) {
        if (entry.slot < 0) {
            return;
        }
        Entry[] in = slots[entry.slot];
        int lastIndex = --sizes[entry.slot];
        Entry last = in[lastIndex];
        in[lastIndex] = null;
        if (last != entry) {
            in[entry.index] = last;
            last.index = entry.index;
        }
        entry.slot = -1;
        held--;
    }

    private void grow(int slot) {
        slots[slot] = cleared(slots[slot], Arrays.copyOf(slots[slot], Math.max(8, slots[slot].length * 2)));
    }

    /**
     * Returns {@code grown} after clearing {@code old}, the array it replaces. The wheel's arrays outlive many young
     * collections, so they end up in the old generation; one dropped there with references to requests in flight
     * would keep those requests, and all they refer to, alive until a full collection (measured under load: the old
     * generation filled with 100+ MB of dead requests, where clearing keeps it at the base's 15 MB).
     */
    private static Entry[] cleared(Entry[] old, Entry[] grown) {
        Arrays.fill(old, null);
        return grown;
    }

    private void sweep() {
        if (held == 0) {
            vertx.cancelTimer(timer);
            timer = -1;
            return;
        }
        long now = System.nanoTime();
        long nowTick = Math.floorDiv(now, PERIOD_NANOS);
        int dueCount = 0;
        // A late timer catches up, at most one turn of the wheel (which visits every slot).
        for (long tick = Math.max(sweptTick + 1, nowTick - slots.length + 1); tick <= nowTick; tick++) {
            int slot = (int) (tick & (slots.length - 1));
            for (int i = 0; i < sizes[slot]; i++) {
                if (slots[slot][i].dueTick <= nowTick) {
                    if (dueCount == due.length) {
                        due = cleared(due, Arrays.copyOf(due, due.length * 2));
                    }
                    due[dueCount++] = slots[slot][i];
                }
            }
        }
        sweptTick = nowTick;
        for (int i = 0; i < dueCount; i++) { // an entry told before may have removed or re-scheduled this one
            Entry entry = due[i];
            due[i] = null;
            if (entry.slot >= 0 && entry.dueTick <= nowTick) {
                remove(entry);
                entry.due(now);
            }
        }
    }
}
