package dev.keystore.operator.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ForecastKeysTest {
    static final KeyType EC256 = KeyType.ec(256);
    static final KeyType EC384 = KeyType.ec(384);

    /** Real key pairs, each remembered with the thread that made it. */
    static final class Recording implements KeySource {
        final Map<KeyPair, String> madeOn = Collections.synchronizedMap(new IdentityHashMap<>());
        final Map<KeyType, Integer> made = new ConcurrentHashMap<>();

        @Override
        public KeyPair keyPair(KeyType type) {
            KeyPair pair = type.generate(TestKeys.nextSeeded());
            made.merge(type, 1, Integer::sum);
            madeOn.put(pair, Thread.currentThread().getName());
            return pair;
        }

        int count() {
            return made.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void forecastPairsAreMadeAheadOnTheHelperAndEachIsHandedOutOnce() throws InterruptedException {
        Recording generator = new Recording();
        try (ForecastKeys keys = new ForecastKeys(List.of(EC256, EC384, EC256), generator)) {
            KeyPoolTest.await("the helper to make the three forecast pairs", () -> generator.count() == 3);
            List<KeyPair> handed = List.of(keys.keyPair(EC384), keys.keyPair(EC256), keys.keyPair(EC256));
            assertEquals(3, generator.count(), "no pair was made on request: all three were made ahead");
            Set<KeyPair> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            distinct.addAll(handed);
            assertEquals(3, distinct.size(), "each pair handed out once");
            for (KeyPair pair : handed) {
                assertEquals("forecast-keys", generator.madeOn.get(pair));
            }
            assertEquals(EC384, KeyType.of(handed.get(0).getPublic()));
            assertEquals(EC256, KeyType.of(handed.get(1).getPublic()));

            KeyPair unforecast = keys.keyPair(EC256);
            assertEquals(4, generator.count(), "a fourth EC P-256 was not forecast: made on request");
            assertEquals(Thread.currentThread().getName(), generator.madeOn.get(unforecast));
        }
    }

    @Test
    void theCallerMakesForecastPairsTheHelperHasNotBegun() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch helperBegan = new CountDownLatch(1);
        Recording recording = new Recording();
        // the helper's first pair waits for the latch, so the other forecast pairs are the caller's to make
        KeySource generator = type -> {
            if ("forecast-keys".equals(Thread.currentThread().getName()) && type.equals(EC384)) {
                helperBegan.countDown();
                awaitInGenerator(release);
            }
            return recording.keyPair(type);
        };
        try (ForecastKeys keys = new ForecastKeys(List.of(EC384, EC256, EC256), generator)) {
            assertTrue(helperBegan.await(60, TimeUnit.SECONDS));
            KeyPair first = keys.keyPair(EC256);
            KeyPair second = keys.keyPair(EC256);
            assertNotSame(first, second);
            String caller = Thread.currentThread().getName();
            assertEquals(caller, recording.madeOn.get(first));
            assertEquals(caller, recording.madeOn.get(second));
            release.countDown();
            KeyPair third = keys.keyPair(EC384);
            assertEquals("forecast-keys", recording.madeOn.get(third), "the pair the helper had begun is the helper's");
            assertEquals(3, recording.count());
        }
    }

    @Test
    void whileTheHelperMakesTheAskedPairTheCallerMakesTheNextForecastOne() throws InterruptedException {
        CountDownLatch callerMadeOne = new CountDownLatch(1);
        CountDownLatch helperBegan = new CountDownLatch(1);
        Recording recording = new Recording();
        KeySource generator = type -> {
            KeyPair pair = recording.keyPair(type);
            if ("forecast-keys".equals(Thread.currentThread().getName())) {
                helperBegan.countDown();
                // the helper finishes its first pair only once the caller has made one
                awaitInGenerator(callerMadeOne);
            } else {
                callerMadeOne.countDown();
            }
            return pair;
        };
        try (ForecastKeys keys = new ForecastKeys(List.of(EC384, EC256), generator)) {
            assertTrue(helperBegan.await(60, TimeUnit.SECONDS));
            // the helper is making the EC384 and waits until the caller has made a pair: only the
            // forecast EC256, made while waiting for the EC384, lets it finish
            KeyPair asked = keys.keyPair(EC384);
            assertEquals("forecast-keys", recording.madeOn.get(asked));
            assertEquals(2, recording.count(), "the EC256 was made while the caller waited");
            KeyPair next = keys.keyPair(EC256);
            assertEquals(Thread.currentThread().getName(), recording.madeOn.get(next));
            assertEquals(2, recording.count(), "and handed out when asked for, not made again");
        }
    }

    @Test
    void closeDropsWhatWasNotAskedFor() {
        Recording recording = new Recording();
        CountDownLatch release = new CountDownLatch(1);
        KeySource generator = type -> {
            if ("forecast-keys".equals(Thread.currentThread().getName())) {
                awaitInGenerator(release);
            }
            return recording.keyPair(type);
        };
        ForecastKeys keys = new ForecastKeys(List.of(EC256, EC256, EC256), generator);
        keys.close();
        release.countDown();
        KeyPair after = keys.keyPair(EC256);
        assertEquals(Thread.currentThread().getName(), recording.madeOn.get(after), "after close a pair is made on request");
        assertTrue(recording.count() <= 2, "at most the pair the helper had begun, and the one asked for: " + recording.count());
    }

    @Test
    void aFailedGenerationIsTheCallersError() {
        IllegalStateException boom = new IllegalStateException("no entropy");
        try (ForecastKeys keys = new ForecastKeys(List.of(EC256), type -> {
            throw boom;
        })) {
            assertSame(boom, assertThrows(IllegalStateException.class, () -> keys.keyPair(EC256)));
        }
    }

    /** Waits inside a key generator, where a checked exception cannot be thrown. */
    private static void awaitInGenerator(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
