package dev.keystore.operator.reconciler;

import dev.keystore.operator.crypto.KeyPool;
import dev.keystore.operator.crypto.KeySource;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The operator's warm {@link KeyPool}: {@code keystore-operator.key-pool.size} pairs per key type in
 * use (0: none), filled once no key was taken for {@code keystore-operator.key-pool.quiet-period}.
 * Emptied when the operator shuts down. The render CLI has none.
 */
@Singleton
public class WarmKeyPool {
    @Produces
    @Singleton
    KeyPool keyPool(@ConfigProperty(name = "keystore-operator.key-pool.size", defaultValue = "3") int size,
                    @ConfigProperty(name = "keystore-operator.key-pool.quiet-period", defaultValue = "200ms")
                    Duration quietPeriod) {
        return new KeyPool(size, quietPeriod, KeySource.generating(new SecureRandom()), System::nanoTime).start();
    }

    void close(@Disposes KeyPool pool) {
        pool.close();
    }
}
