package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TrustSource;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.plan.TrustAssembly;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reconciles TrustBundles; a change to any source Secret, ConfigMap or KeystoreSet reassembles the bundle. */
@ControllerConfiguration(name = "trustbundle", generationAwareEventProcessing = false)
public class TrustBundleReconciler implements Reconciler<TrustBundle> {
    static final String SECRETS = "bundle-secrets";
    static final String CONFIG_MAPS = "bundle-config-maps";
    static final String SETS = "bundle-sets";

    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final KeystoreMetrics metrics;

    public TrustBundleReconciler(KeystoreMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public UpdateControl<TrustBundle> reconcile(TrustBundle bundle, Context<TrustBundle> context) {
        var timing = metrics.start();
        TrustBundleSync.Result result = new TrustBundleSync(context.getClient(), clock, random).reconcile(bundle);
        String before = bundle.getStatus() == null ? null : StatusPatch.json(bundle.getStatus());
        if (!StatusPatch.json(result.status()).equals(before)) {
            StatusPatch.replace(context.getClient(), bundle, result.status());
        }
        var cache = context.getPrimaryCache();
        metrics.trustBundle(bundle.getMetadata().getNamespace(), bundle.getMetadata().getName(), result.status(),
            k -> cache.get(new ResourceID(k.name(), k.namespace())).isPresent());
        metrics.reconciled(timing, "TrustBundle", KeystoreMetrics.outcome(result.status().conditions));
        return UpdateControl.<TrustBundle>noUpdate().rescheduleAfter(result.requeueAfter());
    }

    @Override
    public List<EventSource<?, TrustBundle>> prepareEventSources(EventSourceContext<TrustBundle> context) {
        var cache = context.getPrimaryCache();
        cache.addIndexer(SECRETS, b -> keys(b, s -> s.secret == null ? null : s.secret.name, true));
        cache.addIndexer(CONFIG_MAPS, b -> keys(b, s -> s.configMap == null ? null : s.configMap.name, false));
        cache.addIndexer(SETS, b -> keys(b, s -> s.keystoreSet == null ? null : s.keystoreSet.name, false));
        var secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, TrustBundle.class)
            .withName("bundle-secrets").withItemStore(new MetadataOnlyStore<>(Secret::new))
            .withSecondaryToPrimaryMapper(secret -> {
                String ns = secret.getMetadata().getNamespace();
                Set<ResourceID> ids = ids(context, SECRETS, ns, secret.getMetadata().getName());
                var labels = secret.getMetadata().getLabels();
                if (labels != null && ManagedSecret.MANAGED_BY.equals(labels.get(ManagedSecret.MANAGED_BY_LABEL))) {
                    if (labels.get(ManagedSecret.BUNDLE_LABEL) != null) {
                        ids.add(new ResourceID(labels.get(ManagedSecret.BUNDLE_LABEL), ns));
                    }
                    // a set's CA Secret changed: bundles with that set as a source follow it
                    if (labels.get(ManagedSecret.SET_LABEL) != null) {
                        ids.addAll(ids(context, SETS, ns, labels.get(ManagedSecret.SET_LABEL)));
                    }
                }
                return ids;
            }).build(), context);
        var configMaps = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, TrustBundle.class)
            .withName("bundle-config-maps").withItemStore(new MetadataOnlyStore<>(ConfigMap::new))
            .withSecondaryToPrimaryMapper(cm -> ids(context, CONFIG_MAPS,
                cm.getMetadata().getNamespace(), cm.getMetadata().getName())).build(), context);
        var sets = new InformerEventSource<>(InformerEventSourceConfiguration.from(KeystoreSet.class, TrustBundle.class)
            .withName("bundle-sets").withItemStore(new MetadataOnlyStore<>(KeystoreSet::new))
            .withSecondaryToPrimaryMapper(set -> ids(context, SETS,
                set.getMetadata().getNamespace(), set.getMetadata().getName())).build(), context);
        return List.of(secrets, configMaps, sets);
    }

    private static Set<ResourceID> ids(EventSourceContext<TrustBundle> context, String index, String ns, String name) {
        return context.getPrimaryCache().byIndex(index, ns + "/" + name).stream().map(ResourceID::fromResource)
            .collect(Collectors.toSet());
    }

    private static List<String> keys(TrustBundle bundle, Function<TrustSource, String> name, boolean withTarget) {
        List<String> keys = new ArrayList<>();
        String ns = bundle.getMetadata().getNamespace();
        if (bundle.getSpec() != null && bundle.getSpec().sources != null) {
            for (TrustSource s : bundle.getSpec().sources) {
                String n = s == null ? null : name.apply(s);
                if (n != null) {
                    keys.add(ns + "/" + n);
                }
            }
        }
        if (withTarget) {
            keys.add(ns + "/" + TrustAssembly.targetSecret(bundle));
            var target = bundle.getSpec() == null ? null : bundle.getSpec().target;
            if (target != null && target.passwordSecretRef != null && target.passwordSecretRef.name != null) {
                keys.add(ns + "/" + target.passwordSecretRef.name);
            }
        }
        return keys;
    }
}
