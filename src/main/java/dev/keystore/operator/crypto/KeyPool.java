package dev.keystore.operator.crypto;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Key pairs generated ahead of need, so that issuing does not wait for RSA prime search. Holds at
 * most {@code size} pairs per key type, for the types asked for so far (or warmed up front), and
 * tops them up on one low-priority daemon thread once no pair has been taken for the quiet period:
 * during a burst the callers generate their own and the pool stays out of their way. Each pair is
 * handed out at most once. Pairs live only in memory and are dropped on {@link #close()}. Size 0
 * is no pool: every pair is generated when asked.
 */
public final class KeyPool implements KeySource, AutoCloseable {
    private final int size;
    private final long quietNanos;
    private final KeySource generator;
    private final LongSupplier nanoTime;
    private final Map<KeyType, BlockingQueue<KeyPair>> pairs = new ConcurrentHashMap<>();
    /** Types in the order first asked for, so that filling is fair and predictable. */
    private final List<KeyType> types = new CopyOnWriteArrayList<>();
    private final Object signal = new Object();
    private boolean signalled;
    private volatile long lastTaken;
    private volatile boolean closed;
    private Thread filler;

    /**
     * @param generator makes the pairs the pool holds (and those it hands out when empty)
     * @param nanoTime  the monotonic clock the quiet period is measured on ({@code System::nanoTime})
     */
    public KeyPool(int size, Duration quietPeriod, KeySource generator, LongSupplier nanoTime) {
        if (size < 0) {
            throw new IllegalArgumentException("key pool size must be 0 or more, not " + size);
        }
        this.size = size;
        this.quietNanos = quietPeriod.toNanos();
        this.generator = generator;
        this.nanoTime = nanoTime;
        this.lastTaken = nanoTime.getAsLong() - quietNanos;
    }

    /** Starts the filler thread (none when the size is 0). */
    public synchronized KeyPool start() {
        if (size > 0 && filler == null && !closed) {
            filler = new Thread(this::fillWhileOpen, "key-pool-filler");
            filler.setDaemon(true);
            filler.setPriority(Thread.MIN_PRIORITY);
            filler.start();
        }
        return this;
    }

    /** Keeps {@code size} pairs of these types ready before anyone asks for them. */
    public KeyPool warm(KeyType... warmTypes) {
        for (KeyType type : warmTypes) {
            queue(type);
        }
        wake();
        return this;
    }

    @Override
    public KeyPair keyPair(KeyType type) {
        if (size == 0 || closed) {
            return generator.keyPair(type);
        }
        KeyPair pair = queue(type).poll();
        lastTaken = nanoTime.getAsLong();
        wake();
        return pair != null ? pair : generator.keyPair(type);
    }

    /** How many pairs of this type are ready now. */
    public int available(KeyType type) {
        BlockingQueue<KeyPair> queue = pairs.get(type);
        return queue == null ? 0 : queue.size();
    }

    public int size() {
        return size;
    }

    /** Whether the filler thread is running. */
    public synchronized boolean filling() {
        return filler != null && filler.isAlive();
    }

    /** Stops the filler and forgets every pair not yet handed out. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closed = true;
            thread = filler;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pairs.values().forEach(BlockingQueue::clear);
    }

    private BlockingQueue<KeyPair> queue(KeyType type) {
        return pairs.computeIfAbsent(type, t -> {
            types.add(t);
            return new ArrayBlockingQueue<>(Math.max(size, 1));
        });
    }

    /**
     * One step of the filler: when the quiet period has passed, generates one pair for the type
     * with the fewest ready. Returns the type filled, or null when nothing was due.
     */
    KeyType fillOne() {
        if (closed || size == 0 || nanoTime.getAsLong() - lastTaken < quietNanos) {
            return null;
        }
        KeyType neediest = null;
        for (KeyType type : types) {
            int ready = available(type);
            if (ready < size && (neediest == null || ready < available(neediest))) {
                neediest = type;
            }
        }
        if (neediest == null) {
            return null;
        }
        KeyPair pair = generator.keyPair(neediest);
        if (closed || !pairs.get(neediest).offer(pair)) {
            return null; // closed meanwhile, or a taker's refill raced us: the pair is simply dropped
        }
        return neediest;
    }

    private void fillWhileOpen() {
        try {
            while (!closed) {
                KeyType filled;
                try {
                    filled = fillOne();
                } catch (RuntimeException e) {
                    // a generator failure: retried after the next take; a taker generating itself meets it too
                    filled = null;
                }
                if (filled == null && !closed) {
                    long sinceTaken = nanoTime.getAsLong() - lastTaken;
                    await(sinceTaken < quietNanos ? quietNanos - sinceTaken : 0);
                }
            }
        } catch (InterruptedException e) {
            // closed
        } finally {
            pairs.values().forEach(BlockingQueue::clear);
        }
    }

    /** Waits for a take or a warm-up (0: no limit), or at most {@code nanos}. */
    private void await(long nanos) throws InterruptedException {
        synchronized (signal) {
            if (!signalled) {
                if (nanos <= 0) {
                    signal.wait();
                } else {
                    TimeUnit.NANOSECONDS.timedWait(signal, nanos);
                }
            }
            signalled = false;
        }
    }

    private void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }
}
