package dev.keystore.operator.crypto;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Key pairs a caller expects to ask for, in the order it expects to ask, made on two threads: the
 * caller's and one helper. A request takes the first forecast pair of its type (made on the spot
 * when the helper has not begun it) and, while the helper is still making it, makes the next
 * forecast pairs itself; a type not forecast is generated on the caller's thread. So a
 * short-lived process that must make several keys (render's first run: a CA and three slots) runs
 * two generations at a time; a wrong forecast costs CPU, never a wrong key: each pair is handed out
 * once, and {@link #close} drops what was not asked for.
 */
public final class ForecastKeys implements KeySource, AutoCloseable {
    private final KeySource generator;
    private final List<Forecast> pending = new ArrayList<>();
    private final Thread helper;

    private record Forecast(KeyType type, FutureTask<KeyPair> task) {
    }

    /** @param generator makes each pair (thread-safe: two threads call it) */
    public ForecastKeys(List<KeyType> expected, KeySource generator) {
        this.generator = generator;
        for (KeyType type : expected) {
            pending.add(new Forecast(type, new FutureTask<>(() -> generator.keyPair(type))));
        }
        List<FutureTask<KeyPair>> tasks = pending.stream().map(Forecast::task).toList();
        if (tasks.size() > 1) {
            // FutureTask.run() of a task another thread has begun or finished returns at once
            helper = new Thread(() -> tasks.forEach(FutureTask::run), "forecast-keys");
            helper.setDaemon(true);
            helper.start();
        } else {
            helper = null;
        }
    }

    @Override
    public KeyPair keyPair(KeyType type) {
        FutureTask<KeyPair> task = take(type);
        if (task == null) {
            return generator.keyPair(type);
        }
        task.run();
        // only this caller takes from pending, so one snapshot is the list to help with
        for (FutureTask<KeyPair> next : pendingTasks()) {
            if (task.isDone()) {
                break;
            }
            next.run();
        }
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating a " + type.describe() + " key pair", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private synchronized FutureTask<KeyPair> take(KeyType type) {
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).type().equals(type)) {
                return pending.remove(i).task();
            }
        }
        return null;
    }

    private synchronized List<FutureTask<KeyPair>> pendingTasks() {
        return pending.stream().map(Forecast::task).toList();
    }

    /** Drops the forecast pairs not asked for; one the helper is making is finished and thrown away. */
    @Override
    public synchronized void close() {
        pending.forEach(f -> f.task().cancel(false));
        pending.clear();
    }
}
