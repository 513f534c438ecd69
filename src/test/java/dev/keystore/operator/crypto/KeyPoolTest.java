package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class KeyPoolTest {
    static final KeyType EC256 = KeyType.ec(256);
    static final KeyType EC384 = KeyType.ec(384);

    /** Real key pairs, counted per type, with the thread each was generated on. */
    static final class Counting implements KeySource {
        final Map<KeyType, AtomicInteger> made = new ConcurrentHashMap<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public KeyPair keyPair(KeyType type) {
            threads.add(Thread.currentThread());
            made.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
            return type.generate(TestKeys.nextSeeded());
        }

        int made(KeyType type) {
            return made.getOrDefault(type, new AtomicInteger()).get();
        }
    }

    final Counting generator = new Counting();
    final AtomicLong now = new AtomicLong();

    KeyPool unstarted(int size, Duration quiet) {
        return new KeyPool(size, quiet, generator, now::get);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void handsOutEachPairAtMostOnceToConcurrentTakers() throws Exception {
        int takers = 8;
        int perTaker = 10;
        try (KeyPool pool = new KeyPool(takers, Duration.ZERO, generator, System::nanoTime).start()) {
            pool.keyPair(EC256);
            await("a full pool", () -> pool.available(EC256) == takers);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService executor = Executors.newFixedThreadPool(takers);
            List<Future<List<KeyPair>>> results = new ArrayList<>();
            for (int i = 0; i < takers; i++) {
                results.add(executor.submit(() -> {
                    go.await();
                    List<KeyPair> mine = new ArrayList<>();
                    for (int j = 0; j < perTaker; j++) {
                        mine.add(pool.keyPair(EC256)); // the filler refills meanwhile
                    }
                    return mine;
                }));
            }
            go.countDown();
            Set<KeyPair> byIdentity = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<String> publicKeys = new HashSet<>();
            for (Future<List<KeyPair>> f : results) {
                for (KeyPair pair : f.get(60, TimeUnit.SECONDS)) {
                    byIdentity.add(pair);
                    publicKeys.add(java.util.HexFormat.of().formatHex(pair.getPublic().getEncoded()));
                }
            }
            executor.shutdown();
            assertEquals(takers * perTaker, byIdentity.size(), "a pair was handed out twice");
            assertEquals(takers * perTaker, publicKeys.size(), "two takers got the same key");
        }
    }

    @Test
    void neverHoldsMoreThanItsSizePerType() {
        KeyPool pool = unstarted(2, Duration.ZERO);
        pool.keyPair(EC256); // the first request makes the type one in use (and is generated on the spot)

        assertEquals(EC256, pool.fillOne());
        assertEquals(EC256, pool.fillOne());
        assertNull(pool.fillOne());
        assertNull(pool.fillOne());
        assertEquals(2, pool.available(EC256));
        assertEquals(3, generator.made(EC256));
        assertEquals(0, pool.available(EC384), "a type never asked for is not filled");
    }

    @Test
    void refillsWhatWasTakenOnlyOnceNoKeyWasTakenForTheQuietPeriod() {
        KeyPool pool = unstarted(2, Duration.ofSeconds(1));
        pool.keyPair(EC256);
        assertNull(pool.fillOne(), "filled during a burst of takes");

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(EC256, pool.fillOne());
        assertEquals(EC256, pool.fillOne());
        int made = generator.made(EC256);

        KeyPair taken = pool.keyPair(EC256);
        assertEquals(made, generator.made(EC256), "served from the pool, not generated");
        assertEquals(1, pool.available(EC256));
        assertNull(pool.fillOne(), "refilled right after a take");

        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertNull(pool.fillOne());
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals(EC256, pool.fillOne());
        assertEquals(2, pool.available(EC256));
        assertNotSame(taken, pool.keyPair(EC256));
    }

    @Test
    void sizeZeroGeneratesEveryPairWhenAsked() {
        try (KeyPool pool = new KeyPool(0, Duration.ZERO, generator, System::nanoTime).start()) {
            assertFalse(pool.filling(), "size 0 must not start a filler thread");
            for (int i = 0; i < 3; i++) {
                KeyPair pair = pool.keyPair(EC256);
                assertEquals(EC256, KeyType.of(pair.getPublic()));
            }
            assertEquals(3, generator.made(EC256));
            assertNull(pool.fillOne());
            assertEquals(0, pool.available(EC256));
        }
        assertThrows(IllegalArgumentException.class, () -> unstarted(-1, Duration.ZERO));
    }

    @Test
    void givesEachRequestAPairOfTheTypeAskedFor() {
        KeyType rsa = KeyType.rsa(2048);
        KeyPool pool = unstarted(1, Duration.ZERO);
        for (KeyType type : List.of(EC256, EC384, rsa)) {
            pool.keyPair(type);
        }
        // the neediest type first, in the order first asked for
        assertEquals(EC256, pool.fillOne());
        assertEquals(EC384, pool.fillOne());
        assertEquals(rsa, pool.fillOne());
        assertNull(pool.fillOne());
        for (KeyType type : List.of(rsa, EC384, EC256)) {
            int made = generator.made(type);
            KeyPair pair = pool.keyPair(type);
            assertEquals(type, KeyType.of(pair.getPublic()));
            assertTrue(KeyMatch.matches(pair.getPrivate(), pair.getPublic()));
            assertEquals(made, generator.made(type), type.describe() + " was not served from the pool");
            assertEquals(0, pool.available(type));
        }
    }

    @Test
    void fillsOnALowPriorityDaemonThread() throws Exception {
        try (KeyPool pool = new KeyPool(3, Duration.ZERO, generator, System::nanoTime).start()) {
            assertTrue(pool.filling());
            pool.keyPair(EC256);
            await("a full pool", () -> pool.available(EC256) == 3);

            List<Thread> fillers = new ArrayList<>(generator.threads);
            assertTrue(fillers.remove(Thread.currentThread()), "an empty pool generates on the caller's thread");
            assertEquals(3, fillers.size());
            for (Thread filler : fillers) {
                assertNotSame(Thread.currentThread(), filler);
                assertTrue(filler.isDaemon(), "the filler must not keep the JVM alive");
                assertEquals(Thread.MIN_PRIORITY, filler.getPriority());
            }
        }
    }

    @Test
    void closeDropsEveryReadyPairAndStopsTheFiller() throws Exception {
        KeyPool pool = new KeyPool(3, Duration.ZERO, generator, System::nanoTime).start();
        pool.keyPair(EC256);
        pool.keyPair(EC384);
        await("a full pool", () -> pool.available(EC256) == 3 && pool.available(EC384) == 3);

        pool.close();

        assertFalse(pool.filling());
        assertEquals(0, pool.available(EC256));
        assertEquals(0, pool.available(EC384));
        int made = generator.made(EC256);
        assertEquals(EC256, KeyType.of(pool.keyPair(EC256).getPublic()));
        assertEquals(made + 1, generator.made(EC256), "a closed pool generates when asked");
        assertEquals(0, pool.available(EC256));
        assertNull(pool.fillOne());
    }
}
