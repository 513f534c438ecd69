package dev.keystore.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.quarkiverse.operatorsdk.runtime.CRDUtils;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkiverse.operatorsdk.runtime.QuarkusControllerConfiguration;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The SDK's {@link Operator} as the Quarkus extension makes it (its {@code OperatorProducer}, a
 * {@code @DefaultBean} this replaces), with each controller's primary cache a {@link TrimmedStore}
 * of its own per watched namespace. The SDK takes a primary's item store from the controller's
 * informer configuration once for each namespace informer it makes; the extension's ways of
 * setting one ({@code @Informer(itemStore)}, {@code ConfigurableReconciler}) give one store
 * instance to them all, and a store shared between namespaces loses entries (see
 * {@link MetadataOnlyStore#perInformer}). So the configuration the operator registers hands out a
 * new store each time it is asked.
 */
@Singleton
public class PrimaryCaches {
    @Produces
    @ApplicationScoped
    Operator operator(QuarkusConfigurationService configuration, Instance<Reconciler<? extends HasMetadata>> reconcilers) {
        var crds = configuration.getCRDGenerationInfo();
        if (crds.isApplyCRDs()) {
            for (String crd : crds.getGenerated()) {
                CRDUtils.applyCRD(configuration.getKubernetesClient(), crds, crd);
            }
        }
        Operator operator = new Operator(configuration);
        for (Reconciler<? extends HasMetadata> reconciler : reconcilers) {
            register(operator, configuration, reconciler);
        }
        int termination = configuration.getTerminationTimeoutSeconds();
        if (termination != QuarkusConfigurationService.UNSET_TERMINATION_TIMEOUT_SECONDS) {
            operator.installShutdownHook(Duration.ofSeconds(termination));
        }
        return operator;
    }

    private static <P extends HasMetadata> void register(Operator operator, QuarkusConfigurationService configuration,
                                                         Reconciler<P> reconciler) {
        if (reconciler instanceof ConfigurableReconciler<?>) {
            throw new IllegalStateException("a ConfigurableReconciler is not supported here: " + reconciler.getClass());
        }
        operator.register(reconciler, trimmed(configuration.getConfigurationFor(reconciler), configuration));
    }

    /** {@code c} with a new {@link TrimmedStore} for each informer made from it, the rest as it was. */
    static <P extends HasMetadata> QuarkusControllerConfiguration<P> trimmed(QuarkusControllerConfiguration<P> c,
                                                                             QuarkusConfigurationService service) {
        return new QuarkusControllerConfiguration<>(MetadataOnlyStore.storePerInformer(c.getInformerConfig(), TrimmedStore::new),
            c.getName(), c.isGenerationAware(), c.getAssociatedReconcilerClassName(), c.getRetry(), c.getRateLimiter(),
            c.maxReconciliationInterval().orElseThrow(), c.getFinalizerName(), c.fieldManager(), c.getWorkflow(),
            c.getResourceTypeName(), c.getResourceClass()) {
            {
                setParent(service);
            }
        };
    }
}
