package dev.keystore.operator.reconciler;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.api.v1alpha1.TrustSource;
import dev.keystore.operator.dependent.DistributedTrust;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.plan.BundleDefinition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reconciles TrustBundles; a change to any source Secret, ConfigMap or KeystoreSet reassembles the bundle.
 * With distribution on, Namespaces are watched (metadata only), and a distributing bundle carries a finalizer;
 * a watch of its own sees a bundle marked for deletion or deleted, removes its copies in other namespaces by
 * label, then the finalizer (the SDK hands a controller without a Cleaner no deletions).
 */
@ControllerConfiguration(name = "trustbundle", generationAwareEventProcessing = false)
public class TrustBundleReconciler implements Reconciler<TrustBundle> {
    static final String SECRETS = "bundle-secrets";
    static final String CONFIG_MAPS = "bundle-config-maps";
    static final String SETS = "bundle-sets";
    static final String DISTRIBUTING = "bundle-distributing";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TrustBundleReconciler.class);

    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final KeystoreMetrics metrics;
    private final boolean distribution;

    public TrustBundleReconciler(KeystoreMetrics metrics,
        @ConfigProperty(name = "keystore-operator.trust-distribution.enabled", defaultValue = "false") boolean distribution) {
        this.metrics = metrics;
        this.distribution = distribution;
    }

    @Override
    public UpdateControl<TrustBundle> reconcile(TrustBundle bundle, Context<TrustBundle> context) {
        TrustBundleSync sync = new TrustBundleSync(context.getClient(), clock, random, distribution);
        if (bundle.getMetadata().getDeletionTimestamp() != null) {
            return UpdateControl.noUpdate(); // the deletion watch removes its copies
        }
        var timing = metrics.start();
        TrustBundleSync.Result result = sync.reconcile(bundle);
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
        cache.addIndexer(DISTRIBUTING, b -> b.getSpec() != null && b.getSpec().target != null
            && b.getSpec().target.namespaceSelector != null ? List.of("yes") : List.of());
        var secrets = new InformerEventSource<>(MetadataOnlyStore.perInformer(InformerEventSourceConfiguration.from(Secret.class, TrustBundle.class)
            .withName("bundle-secrets")
            .withSecondaryToPrimaryMapper(secret -> {
                String ns = secret.getMetadata().getNamespace();
                Set<ResourceID> ids = ids(context, SECRETS, ns, secret.getMetadata().getName());
                // a copy in another namespace changed or went: its bundle puts it back
                DistributedTrust.source(secret).ifPresent(from -> ids.add(new ResourceID(from[1], from[0])));
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
            }).build(), Secret::new), context);
        var configMaps = new InformerEventSource<>(MetadataOnlyStore.perInformer(InformerEventSourceConfiguration.from(ConfigMap.class, TrustBundle.class)
            .withName("bundle-config-maps")
            .withSecondaryToPrimaryMapper(cm -> {
                String ns = cm.getMetadata().getNamespace();
                Set<ResourceID> ids = ids(context, CONFIG_MAPS, ns, cm.getMetadata().getName());
                var labels = cm.getMetadata().getLabels();
                if (labels != null && ManagedSecret.MANAGED_BY.equals(labels.get(ManagedSecret.MANAGED_BY_LABEL))
                    && labels.get(ManagedSecret.BUNDLE_LABEL) != null) {
                    ids.add(new ResourceID(labels.get(ManagedSecret.BUNDLE_LABEL), ns));
                }
                DistributedTrust.source(cm).ifPresent(from -> ids.add(new ResourceID(from[1], from[0])));
                return ids;
            }).build(), ConfigMap::new), context);
        var sets = new InformerEventSource<>(MetadataOnlyStore.perInformer(InformerEventSourceConfiguration.from(KeystoreSet.class, TrustBundle.class)
            .withName("bundle-sets")
            .withSecondaryToPrimaryMapper(set -> ids(context, SETS,
                set.getMetadata().getNamespace(), set.getMetadata().getName())).build(), KeystoreSet::new), context);
        if (!distribution) {
            return List.of(secrets, configMaps, sets);
        }
        watchDeletions(context.getClient());
        // labels, the accept annotation and deletion of namespaces decide where copies go. The cache keeps
        // names and labels only (the store drops annotations), so every namespace event reaches the bundles
        // that distribute: namespaces change seldom, and a reconcile that changes nothing writes nothing.
        var namespaces = new InformerEventSource<>(MetadataOnlyStore.perInformer(InformerEventSourceConfiguration.from(Namespace.class, TrustBundle.class)
            .withName("bundle-namespaces").withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache().byIndex(DISTRIBUTING, "yes").stream()
                .map(ResourceID::fromResource).collect(Collectors.toSet())).build(), Namespace::new), context);
        return List.of(secrets, configMaps, sets, namespaces);
    }

    /** A bundle going (marked for deletion) or gone: its copies go, then its finalizer. */
    private void watchDeletions(io.fabric8.kubernetes.client.KubernetesClient client) {
        TrustBundleSync sync = new TrustBundleSync(client, clock, random, true);
        client.resources(TrustBundle.class).inAnyNamespace().withLimit(MetadataOnlyStore.LIST_PAGE).inform(new io.fabric8.kubernetes.client.informers
            .ResourceEventHandler<TrustBundle>() {
            @Override
            public void onAdd(TrustBundle bundle) {
                onUpdate(bundle, bundle);
            }

            @Override
            public void onUpdate(TrustBundle before, TrustBundle bundle) {
                if (bundle.getMetadata().getDeletionTimestamp() != null) {
                    removeCopies(sync, bundle);
                }
            }

            @Override
            public void onDelete(TrustBundle bundle, boolean finalStateUnknown) {
                removeCopies(sync, bundle);
            }
        });
    }

    private static void removeCopies(TrustBundleSync sync, TrustBundle bundle) {
        try {
            List<String> removed = sync.removeCopies(bundle);
            if (!removed.isEmpty()) {
                LOG.infof("TrustBundle %s/%s deleted: removed %s", bundle.getMetadata().getNamespace(),
                    bundle.getMetadata().getName(), String.join(", ", removed));
            }
        } catch (RuntimeException e) {
            LOG.warnf("TrustBundle %s/%s deleted: its copies could not all be removed yet (%s)",
                bundle.getMetadata().getNamespace(), bundle.getMetadata().getName(), e.getClass().getSimpleName());
        }
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
            keys.add(ns + "/" + BundleDefinition.targetSecret(bundle));
            var target = bundle.getSpec() == null ? null : bundle.getSpec().target;
            if (target != null && target.passwordSecretRef != null && target.passwordSecretRef.name != null) {
                keys.add(ns + "/" + target.passwordSecretRef.name);
            }
        }
        return keys;
    }
}
