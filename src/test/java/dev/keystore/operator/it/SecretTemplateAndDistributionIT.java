package dev.keystore.operator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.KeystoreSet;
import dev.keystore.operator.api.v1alpha1.RenewalWindow;
import dev.keystore.operator.api.v1alpha1.Weekday;
import dev.keystore.operator.crypto.CertificateAuthority;
import dev.keystore.operator.crypto.Signer;
import dev.keystore.operator.plan.ExistingState;
import dev.keystore.operator.plan.Issuance;
import dev.keystore.operator.plan.Outcome;
import dev.keystore.operator.plan.SetDefinition;
import dev.keystore.operator.plan.SlotName;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import dev.keystore.operator.api.v1alpha1.SecretTemplate;
import dev.keystore.operator.api.v1alpha1.TrustBundle;
import dev.keystore.operator.crypto.Pem;
import dev.keystore.operator.crypto.TestKeys;
import dev.keystore.operator.dependent.DistributedTrust;
import dev.keystore.operator.dependent.ManagedSecret;
import dev.keystore.operator.dependent.SecretMetadataTemplate;
import dev.keystore.operator.keystore.Pkcs12Profile;
import dev.keystore.operator.testing.OperatorChart;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a real API server: {@code spec.secretTemplate} on the output Secret, {@code pkcs12Profile}, a
 * TrustBundle distributed into the namespaces that match its selector and accept it, what the chart's
 * RBAC lets the operator's ServiceAccount do (SubjectAccessReview), and {@code spec.renewal.windows}.
 */
class SecretTemplateAndDistributionIT {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final String SYSTEM = "keystore-system";
    static String serviceAccount;
    static RealCluster cluster;
    static KubernetesClient client;
    static int metricsPort;
    static RealCluster.Operator operator;

    @BeforeAll
    static void start() throws Exception {
        cluster = RealCluster.start("SecretTemplateAndDistributionIT");
        client = cluster.client();
        cluster.createNamespace("tpl");
        // the operator acts as the chart's ServiceAccount with the chart's ClusterRoles for
        // trustDistribution.enabled=true: they are enough for everything below
        String system = SYSTEM;
        cluster.createNamespace(system);
        OperatorChart.Rendered chart = OperatorChart.render(system, Map.of("trustDistribution.enabled", "true"));
        client.resource(chart.one(ServiceAccount.class)).create();
        chart.all(ClusterRole.class).forEach(role -> client.resource(role).create());
        chart.all(ClusterRoleBinding.class).forEach(binding -> client.resource(binding).create());
        Deployment deployment = chart.one(Deployment.class);
        Map<String, String> env = HelmInstallIT.environment(deployment.getSpec().getTemplate().getSpec().getContainers()
            .get(0), system);
        assertEquals("true", env.get("KEYSTORE_OPERATOR_TRUST_DISTRIBUTION_ENABLED"));
        serviceAccount = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
        env.put("KUBERNETES_IMPERSONATE_USERNAME", "system:serviceaccount:" + system + ":" + serviceAccount);
        env.put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS") + " -Xmx256m -XX:TieredStopAtLevel=1");
        metricsPort = PrometheusAlertIT.freePort();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(metricsPort));
        operator = cluster.startOperator("SecretTemplateAndDistributionIT", env);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static KeystoreSet set(String ns, String name) {
        return client.resources(KeystoreSet.class).inNamespace(ns).withName(name).get();
    }

    static Optional<Condition> ready(KeystoreSet set) {
        if (set == null || set.getStatus() == null || set.getStatus().conditions == null) {
            return Optional.empty();
        }
        return set.getStatus().conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    static Secret secret(String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    static Map<String, String> labels(Secret s) {
        return Optional.ofNullable(s.getMetadata().getLabels()).orElse(Map.of());
    }

    static Map<String, String> annotations(Secret s) {
        return Optional.ofNullable(s.getMetadata().getAnnotations()).orElse(Map.of());
    }

    static void editTemplate(String name, Map<String, String> labels, Map<String, String> annotations) {
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace("tpl").withName(name), s -> {
            s.getSpec().secretTemplate = new SecretTemplate();
            s.getSpec().secretTemplate.labels = labels;
            s.getSpec().secretTemplate.annotations = annotations;
            return s;
        });
    }

    @Test
    void theTemplateIsKeptAcrossRewritesItsDroppedKeysGoAndTheOperatorsOwnLabelsCannotBeTaken() throws Exception {
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: pay, namespace: tpl}
            spec:
              pkcs12Profile: Legacy
              secretTemplate:
                labels: {backup: daily, tier: gold}
                annotations: {team: payments}
              tls: {dnsNames: [pay.tpl.svc], privateKey: {algorithm: EC}, pkcs12Profile: Modern}
              internal: {}
            """, KeystoreSet.class)).create();
        RealCluster.await("pay Ready", TIMEOUT, () -> ready(set("tpl", "pay")).map(c -> "True".equals(c.getStatus()))
            .orElse(false));
        Secret first = secret("tpl", "pay-keystores");
        assertEquals("daily", labels(first).get("backup"));
        assertEquals("gold", labels(first).get("tier"));
        assertEquals(ManagedSecret.MANAGED_BY, labels(first).get(ManagedSecret.MANAGED_BY_LABEL));
        assertEquals("pay", labels(first).get(ManagedSecret.SET_LABEL));
        assertEquals("payments", annotations(first).get("team"));
        assertEquals("backup,tier", annotations(first).get(SecretMetadataTemplate.LABELS_RECORD));
        Map<String, byte[]> data = ManagedSecret.decode(first);
        assertEquals(Optional.of(Pkcs12Profile.LEGACY), Pkcs12Profile.of(data.get("internal.p12")), "set-wide Legacy");
        assertEquals(Optional.of(Pkcs12Profile.MODERN), Pkcs12Profile.of(data.get("tls.p12")), "the slot's override");
        long revision = set("tpl", "pay").getStatus().revision;

        // someone else labels the Secret; the template changes: one key dropped, one changed, the annotation dropped
        RealCluster.edit(client.secrets().inNamespace("tpl").withName("pay-keystores"), s -> {
            s.getMetadata().getLabels().put("replicator", "on");
            return s;
        });
        editTemplate("pay", Map.of("backup", "weekly"), null);
        RealCluster.await("template change on the Secret", TIMEOUT, () -> "weekly".equals(labels(secret("tpl",
            "pay-keystores")).get("backup")));
        Secret second = secret("tpl", "pay-keystores");
        assertFalse(labels(second).containsKey("tier"), "a label dropped from the template is removed");
        assertFalse(annotations(second).containsKey("team"), "an annotation dropped from the template is removed");
        assertFalse(annotations(second).containsKey(SecretMetadataTemplate.ANNOTATIONS_RECORD));
        assertEquals("on", labels(second).get("replicator"), "a label the template never set is kept");
        assertEquals(ManagedSecret.MANAGED_BY, labels(second).get(ManagedSecret.MANAGED_BY_LABEL));
        assertTrue(ManagedSecret.sameData(data, ManagedSecret.decode(second)), "labels only: the data is untouched");
        Thread.sleep(2000);
        assertEquals(revision, set("tpl", "pay").getStatus().revision, "a label change is not a new revision");

        // a rewrite of the data (a rotation token) keeps the template
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace("tpl").withName("pay"), s -> {
            s.getMetadata().setAnnotations(Map.of("keystore.dev/rotate-tls", "t1"));
            return s;
        });
        RealCluster.await("rotation", TIMEOUT, () -> set("tpl", "pay").getStatus().revision > revision);
        Secret third = secret("tpl", "pay-keystores");
        assertFalse(java.util.Arrays.equals(data.get("tls.p12"), ManagedSecret.decode(third).get("tls.p12")));
        assertEquals("weekly", labels(third).get("backup"));
        assertEquals("on", labels(third).get("replicator"));

        // the operator's own labels cannot be taken: InvalidSpec naming the key, the Secret untouched
        String rv = third.getMetadata().getResourceVersion();
        editTemplate("pay", Map.of("backup", "weekly", ManagedSecret.SET_LABEL, "other"), null);
        RealCluster.await("pay Ready=False", TIMEOUT, () -> ready(set("tpl", "pay"))
            .map(c -> "False".equals(c.getStatus()) && "InvalidSpec".equals(c.getReason())).orElse(false));
        Condition c = ready(set("tpl", "pay")).orElseThrow();
        assertTrue(c.getMessage().contains("spec.secretTemplate.labels") && c.getMessage().contains(ManagedSecret.SET_LABEL),
            c.getMessage());
        assertEquals(rv, secret("tpl", "pay-keystores").getMetadata().getResourceVersion(), "the last good Secret is untouched");
        RealCluster.await("a Warning Event naming the key", TIMEOUT, () -> client.v1().events().inNamespace("tpl").list()
            .getItems().stream().anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage() != null
                && e.getMessage().contains(ManagedSecret.SET_LABEL + " belongs to the operator")));

        // the template removed altogether: its keys go, the record goes, the rest stays
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace("tpl").withName("pay"), s -> {
            s.getSpec().secretTemplate = null;
            return s;
        });
        RealCluster.await("template gone from the Secret", TIMEOUT, () -> !labels(secret("tpl", "pay-keystores"))
            .containsKey("backup"));
        Secret last = secret("tpl", "pay-keystores");
        assertNull(annotations(last).get(SecretMetadataTemplate.LABELS_RECORD));
        assertEquals("on", labels(last).get("replicator"));
        assertEquals("pay", labels(last).get(ManagedSecret.SET_LABEL));
        assertArrayEquals(ManagedSecret.decode(third).get("tls.p12"), ManagedSecret.decode(last).get("tls.p12"));
    }

    // ---- distribution ----

    static void namespace(String name, Map<String, String> labels, String accepts) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
            .withAnnotations(accepts == null ? Map.of() : Map.of(DistributedTrust.ACCEPT_ANNOTATION, accepts))
            .endMetadata().build()).create();
    }

    static boolean hasCopies(String ns) {
        Secret s = secret(ns, "corp-trust");
        ConfigMap c = client.configMaps().inNamespace(ns).withName("corp-trust").get();
        return s != null && c != null && DistributedTrust.isOurs(s, bundle(), false) && DistributedTrust.isOurs(c, bundle(), false);
    }

    static boolean noCopies(String ns) {
        return secret(ns, "corp-trust") == null && client.configMaps().inNamespace(ns).withName("corp-trust").get() == null;
    }

    static TrustBundle bundle() {
        TrustBundle b = new TrustBundle();
        b.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("corp-trust")
            .withNamespace("trust-src").build());
        return b;
    }

    static Optional<Condition> bundleCondition(String type) {
        TrustBundle b = client.resources(TrustBundle.class).inNamespace("trust-src").withName("corp-trust").get();
        if (b == null || b.getStatus() == null || b.getStatus().conditions == null) {
            return Optional.empty();
        }
        return b.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static int pemCertificates(String ns) {
        ConfigMap c = client.configMaps().inNamespace(ns).withName("corp-trust").get();
        try {
            return c == null ? -1 : Pem.certificates(c.getData().get(DistributedTrust.CONFIG_MAP_KEY)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).size();
        } catch (Pem.PemException e) {
            throw new AssertionError("ca-bundle.pem in " + ns + " is not PEM", e);
        }
    }

    static void metadata(String ns, java.util.function.Consumer<io.fabric8.kubernetes.api.model.ObjectMeta> change) {
        RealCluster.edit(client.namespaces().withName(ns), n -> {
            change.accept(n.getMetadata());
            return n;
        });
    }

    @Test
    void aBundleReachesOnlyNamespacesThatMatchAndAcceptAndLeavesWithThem() throws Exception {
        Map<String, String> corp = Map.of("trust", "corp");
        cluster.createNamespace("trust-src");
        namespace("team-a", corp, "elsewhere, trust-src");
        namespace("team-b", corp, null);                     // matches, does not accept
        namespace("team-c", Map.of(), "trust-src");          // accepts, does not match
        namespace("team-d", corp, "trust-src");              // accepts, but holds a Secret of its own by that name
        client.secrets().inNamespace("team-d").resource(new SecretBuilder().withNewMetadata().withName("corp-trust")
            .endMetadata().addToStringData("theirs", "keep me").build()).create();
        String foreignVersion = secret("team-d", "corp-trust").getMetadata().getResourceVersion();

        var first = TestKeys.ecCa("Corp Root A").certificate();
        client.configMaps().inNamespace("trust-src").resource(new ConfigMapBuilder().withNewMetadata().withName("roots")
            .endMetadata().addToData("ca.pem", Pem.encode(List.of(first))).build()).create();
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: TrustBundle
            metadata: {name: corp-trust, namespace: trust-src}
            spec:
              sources: [{configMap: {name: roots, key: ca.pem}}]
              target:
                formats: [PKCS12, PEM]
                pkcs12Profile: Legacy
                configMap: true
                namespaceSelector: {matchLabels: {trust: corp}}
            """, TrustBundle.class)).create();

        RealCluster.await("copies in team-a", TIMEOUT, () -> hasCopies("team-a"));
        RealCluster.await("Distributed=False for the conflict in team-d", TIMEOUT, () -> bundleCondition("Distributed")
            .map(c -> "False".equals(c.getStatus()) && "Conflict".equals(c.getReason())).orElse(false));
        assertTrue(bundleCondition("Distributed").orElseThrow().getMessage().contains("Secret team-d/corp-trust"));
        assertEquals("True", bundleCondition("Ready").orElseThrow().getStatus(), "the bundle itself is fine");
        assertEquals(foreignVersion, secret("team-d", "corp-trust").getMetadata().getResourceVersion(),
            "an object the operator does not own is never written");
        RealCluster.await("a Warning Event for the conflict", TIMEOUT, () -> client.v1().events().inNamespace("trust-src")
            .list().getItems().stream().anyMatch(e -> "CopyConflict".equals(e.getReason()) && "Warning".equals(e.getType())));
        assertTrue(noCopies("team-b"), "team-b does not accept");
        assertTrue(noCopies("team-c"), "team-c does not match");

        // the local outputs: the Secret, and the ConfigMap owned by the bundle
        ConfigMap local = client.configMaps().inNamespace("trust-src").withName("corp-trust").get();
        assertEquals(1, local.getMetadata().getOwnerReferences().size());
        Map<String, byte[]> localData = ManagedSecret.decode(secret("trust-src", "corp-trust"));
        assertEquals(Optional.of(Pkcs12Profile.LEGACY), Pkcs12Profile.of(localData.get("truststore.p12")));
        // a copy: the same bytes, labelled with where it came from, no owner reference
        Secret copy = secret("team-a", "corp-trust");
        assertTrue(ManagedSecret.sameData(localData, ManagedSecret.decode(copy)));
        assertEquals("trust-src", labels(copy).get(DistributedTrust.FROM_NAMESPACE_LABEL));
        assertEquals("corp-trust", labels(copy).get(DistributedTrust.FROM_LABEL));
        assertTrue(copy.getMetadata().getOwnerReferences() == null || copy.getMetadata().getOwnerReferences().isEmpty());
        assertFalse(labels(copy).containsKey(ManagedSecret.BUNDLE_LABEL), "a copy is not a bundle of team-a");
        assertEquals(1, pemCertificates("team-a"));

        // a namespace appearing that matches and accepts
        namespace("team-e", corp, "trust-src");
        RealCluster.await("copies in the new team-e", TIMEOUT, () -> hasCopies("team-e"));

        // a source change reaches every copy
        RealCluster.edit(client.configMaps().inNamespace("trust-src").withName("roots"), c -> {
            c.getData().put("ca.pem", Pem.encode(List.of(first, TestKeys.ecCa("Corp Root B").certificate())));
            return c;
        });
        RealCluster.await("both CAs in team-a and team-e", TIMEOUT, () -> pemCertificates("team-a") == 2
            && pemCertificates("team-e") == 2);
        assertTrue(ManagedSecret.sameData(ManagedSecret.decode(secret("trust-src", "corp-trust")),
            ManagedSecret.decode(secret("team-e", "corp-trust"))));

        // a copy deleted by hand comes back
        client.secrets().inNamespace("team-a").withName("corp-trust").delete();
        RealCluster.await("the copy in team-a restored", TIMEOUT, () -> hasCopies("team-a"));

        // relabelled: team-a stops matching; un-annotated: team-e stops accepting
        metadata("team-a", m -> m.setLabels(Map.of("trust", "none")));
        RealCluster.await("copies gone from relabelled team-a", TIMEOUT, () -> noCopies("team-a"));
        metadata("team-e", m -> m.setAnnotations(Map.of()));
        RealCluster.await("copies gone from un-annotated team-e", TIMEOUT, () -> noCopies("team-e"));

        // accepting again, then the namespace deleted (no namespace controller runs here: it stays Terminating,
        // and the operator takes its copies out)
        metadata("team-e", m -> m.setAnnotations(Map.of(DistributedTrust.ACCEPT_ANNOTATION, "trust-src")));
        RealCluster.await("copies back in team-e", TIMEOUT, () -> hasCopies("team-e"));
        client.namespaces().withName("team-e").delete();
        RealCluster.await("copies gone from the deleted team-e", TIMEOUT, () -> noCopies("team-e"));

        // the bundle deleted: every copy goes, the foreign Secret stays
        metadata("team-a", m -> m.setLabels(corp));
        RealCluster.await("copies back in team-a", TIMEOUT, () -> hasCopies("team-a"));
        assertEquals(List.of(DistributedTrust.FINALIZER), client.resources(TrustBundle.class).inNamespace("trust-src")
            .withName("corp-trust").get().getMetadata().getFinalizers(), "a distributing bundle waits for its copies to go");
        client.resources(TrustBundle.class).inNamespace("trust-src").withName("corp-trust").delete();
        RealCluster.await("copies gone with the bundle", TIMEOUT, () -> noCopies("team-a")
            && client.configMaps().inNamespace("team-d").withName("corp-trust").get() == null);
        assertEquals(foreignVersion, secret("team-d", "corp-trust").getMetadata().getResourceVersion());
        assertTrue(client.secrets().inAnyNamespace().withLabel(DistributedTrust.FROM_LABEL, "corp-trust").list()
            .getItems().isEmpty());
        assertFalse(operator.output().contains("Exception"), "the operator logged an exception");
        assertFalse(operator.output().toLowerCase(java.util.Locale.ROOT).contains("forbidden"),
            "the chart's rules were not enough");
    }

    // ---- least privilege: what the chart lets the operator's ServiceAccount do, asked of the API server ----

    /** Whether the API server's authorizer lets ServiceAccount {@code ns/name} do {@code verb} on a resource. */
    static boolean may(String ns, String name, String verb, String group, String resource, String subresource,
                       String namespace) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
            .withUser("system:serviceaccount:" + ns + ":" + name)
            .withGroups("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated")
            .withNewResourceAttributes().withVerb(verb).withGroup(group).withResource(resource).withSubresource(subresource)
            .withNamespace(namespace).endResourceAttributes().endSpec().build();
        return client.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
    }

    /**
     * Asserts each check, "verb [group:]resource[/subresource]" (no group: the core group), in {@code namespace}
     * (null: all namespaces) is allowed, or denied, to the account.
     */
    static void assertMay(boolean allowed, String ns, String name, String namespace, String... checks) {
        for (String check : checks) {
            String[] verbAndTarget = check.split(" ");
            String target = verbAndTarget[1];
            String group = target.contains(":") ? target.substring(0, target.indexOf(':')) : "";
            String[] resource = target.substring(target.indexOf(':') + 1).split("/", 2);
            assertEquals(allowed, may(ns, name, verbAndTarget[0], group, resource[0], resource.length > 1 ? resource[1] : null,
                namespace), ns + "/" + name + (allowed ? " must be allowed to " : " must not be allowed to ") + check + " in "
                    + (namespace == null ? "all namespaces" : "namespace " + namespace));
        }
    }

    /** The chart's RBAC objects for a release in {@code releaseNamespace}, names suffixed so that several releases coexist. */
    static void installRbac(String releaseNamespace, Map<String, String> values, String suffix) {
        cluster.createNamespace(releaseNamespace);
        OperatorChart.Rendered chart = OperatorChart.render(releaseNamespace, values);
        for (HasMetadata o : chart.objects()) {
            o.getMetadata().setName(o.getMetadata().getName() + suffix);
            if (o instanceof ClusterRoleBinding b) {
                b.getRoleRef().setName(b.getRoleRef().getName() + suffix);
            } else if (o instanceof RoleBinding b) {
                b.getRoleRef().setName(b.getRoleRef().getName() + suffix);
            }
            if (o instanceof ClusterRole || o instanceof ClusterRoleBinding || o instanceof Role || o instanceof RoleBinding) {
                client.resource(o).create();
            }
        }
    }

    /** What no install of the chart may grant, anywhere. */
    static final String[] NEVER = {"deletecollection secrets", "deletecollection configmaps", "create pods", "get pods",
        "create pods/exec", "create serviceaccounts/token", "create namespaces", "update namespaces", "patch namespaces",
        "delete namespaces", "get namespaces", "get nodes", "create rbac.authorization.k8s.io:roles",
        "create rbac.authorization.k8s.io:rolebindings", "bind rbac.authorization.k8s.io:clusterroles",
        "escalate rbac.authorization.k8s.io:clusterroles", "update rbac.authorization.k8s.io:clusterroles",
        "impersonate users", "impersonate serviceaccounts", "create keystore.dev:keystoresets",
        "update keystore.dev:keystoresets", "delete keystore.dev:keystoresets", "update keystore.dev:trustbundles",
        "delete keystore.dev:trustbundles", "delete apps:deployments", "create apiextensions.k8s.io:customresourcedefinitions"};

    @Test
    void theChartGrantsDistributionOnlyWhatItNeedsAndNothingClusterWideWhenItIsOff() {
        // the running operator's account (all namespaces, distribution on): copies anywhere, nothing more
        cluster.createNamespace("any-team");
        assertMay(true, SYSTEM, serviceAccount, "any-team", "get secrets", "create secrets", "update secrets",
            "delete secrets", "get configmaps", "create configmaps", "update configmaps", "delete configmaps",
            "patch keystore.dev:trustbundles", "patch keystore.dev:keystoresets/status", "patch apps:deployments");
        assertMay(true, SYSTEM, serviceAccount, null, "list secrets", "list configmaps", "list namespaces", "watch namespaces",
            "watch keystore.dev:trustbundles");
        assertMay(false, SYSTEM, serviceAccount, "any-team", NEVER);
        assertMay(false, SYSTEM, serviceAccount, null, "get namespaces", "create namespaces", "deletecollection secrets");

        // watching a namespace only, distribution off: no Secret or ConfigMap right outside it, no namespaces at all
        cluster.createNamespace("team-x");
        cluster.createNamespace("team-y");
        installRbac("scoped-off", Map.of("watchNamespaces[0]", "team-x"), "-scoped-off");
        assertMay(true, "scoped-off", serviceAccount, "team-x", "get secrets", "create secrets", "list secrets");
        assertMay(false, "scoped-off", serviceAccount, "team-y", "get secrets", "list secrets", "create secrets",
            "update secrets", "delete secrets", "get configmaps", "create configmaps");
        assertMay(false, "scoped-off", serviceAccount, null, "list secrets", "list configmaps", "list namespaces",
            "watch namespaces");
        assertMay(false, "scoped-off", serviceAccount, "team-x", NEVER);

        // the same with distribution on: copies in any namespace (read by name, listed by label), never watched there
        installRbac("scoped-on", Map.of("watchNamespaces[0]", "team-x", "trustDistribution.enabled", "true"), "-scoped-on");
        assertMay(true, "scoped-on", serviceAccount, "team-y", "get secrets", "create secrets", "update secrets",
            "delete secrets", "get configmaps", "create configmaps", "update configmaps", "delete configmaps");
        assertMay(true, "scoped-on", serviceAccount, null, "list secrets", "list configmaps", "list namespaces",
            "watch namespaces", "watch keystore.dev:trustbundles", "patch keystore.dev:trustbundles");
        assertMay(false, "scoped-on", serviceAccount, "team-y", "watch secrets", "watch configmaps",
            "patch keystore.dev:keystoresets/status", "patch apps:deployments");
        assertMay(false, "scoped-on", serviceAccount, null, "watch secrets", "watch configmaps");
        assertMay(false, "scoped-on", serviceAccount, "team-y", NEVER);
    }

    // ---- renewal windows ----

    static RenewalWindow window(List<Weekday> days, String start, String end) {
        RenewalWindow w = new RenewalWindow();
        w.days = days;
        w.start = start;
        w.end = end;
        w.timeZone = "UTC";
        return w;
    }

    static Weekday weekday(ZonedDateTime t) {
        return Weekday.values()[t.getDayOfWeek().getValue() - 1];
    }

    static String tlsSerial(KeystoreSet set) {
        return set == null || set.getStatus() == null || set.getStatus().keystores == null
            || set.getStatus().keystores.tls == null ? null : set.getStatus().keystores.tls.serialNumber;
    }

    /**
     * A certificate due for renewal but 10 days before its safety point: made by the test as the operator would
     * have made it 65 days ago (same plan code, a clock 65 days back), signed by a CA Secret, in an output
     * Secret the operator takes as its own. A window three days on keeps it; a window open now renews it.
     */
    @Test
    void aDueRenewalWaitsForItsWindowAndHappensWhenTheWindowIncludesNow() throws Exception {
        String ns = "win";
        cluster.createNamespace(ns);
        CertificateAuthority ca = TestKeys.ecCa("Window CA");
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("win-ca").endMetadata()
            .withType("kubernetes.io/tls").addToStringData("tls.crt", Pem.encode(ca.chain()))
            .addToStringData("tls.key", Pem.encode(ca.key())).build()).create();
        String password = "Window-Password-0123456789";
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("win-password")
            .endMetadata().addToStringData("password", password).build()).create();
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        KeystoreSet set = client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: win, namespace: win}
            spec:
              issuer: {ca: {secretRef: {name: win-ca}}}
              passwordSecretRef: {name: win-password}
              tls: {dnsNames: [win.example.com], privateKey: {algorithm: EC}, duration: 2160h, renewBefore: 720h}
            """, KeystoreSet.class);
        Weekday inThreeDays = weekday(now.plusDays(3));
        set.getSpec().renewal = new dev.keystore.operator.api.v1alpha1.RenewalSpec();
        set.getSpec().renewal.windows = List.of(window(List.of(inThreeDays), "00:00", "23:59"));

        Instant issued = now.toInstant().minus(Duration.ofDays(65));
        Outcome made = new Issuance(new Signer(Clock.fixed(issued, ZoneOffset.UTC), new SecureRandom()))
            .run(SetDefinition.of(set), new ExistingState(Map.of(), Map.of(), Map.of(), password, ca, List.of(), Map.of()));
        String madeSerial = made.slots().get(SlotName.TLS).serialNumber();
        Instant due = made.slots().get(SlotName.TLS).renewalTime();
        assertTrue(due.isBefore(now.toInstant()), "due 5 days ago: " + due);
        var output = new SecretBuilder().withNewMetadata().withName("win-keystores").withNamespace(ns)
            .addToLabels(ManagedSecret.MANAGED_BY_LABEL, ManagedSecret.MANAGED_BY).addToLabels(ManagedSecret.SET_LABEL, "win")
            .endMetadata().withType("Opaque");
        made.output().forEach((k, v) -> output.addToData(k, java.util.Base64.getEncoder().encodeToString(v)));
        client.secrets().inNamespace(ns).resource(output.build()).create();
        client.resource(set).create();

        RealCluster.await("win Ready", TIMEOUT, () -> ready(set(ns, "win")).map(c -> "True".equals(c.getStatus()))
            .orElse(false));
        KeystoreSet waiting = set(ns, "win");
        assertEquals(madeSerial, tlsSerial(waiting), "outside its window the due certificate is kept");
        Instant windowStart = now.plusDays(3).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        assertEquals(windowStart.toString(), waiting.getStatus().nextRenewalWindow);
        Condition issuing = waiting.getStatus().conditions.stream().filter(c -> "Issuing".equals(c.getType())).findFirst()
            .orElseThrow();
        assertEquals("WaitingForRenewalWindow", issuing.getReason(), issuing.getMessage());
        assertTrue(issuing.getMessage().contains(windowStart.toString()), issuing.getMessage());
        Thread.sleep(3000);
        assertEquals(madeSerial, tlsSerial(set(ns, "win")), "still kept a few seconds on");
        // RenewalOverdue stays quiet on this gauge: the window's start for the waiting slot, served only while it waits
        assertEquals(Optional.of((double) windowStart.getEpochSecond()), windowGauge(ns, "win"));

        // a window open now (every day, from an hour ago to two hours on; it may cross midnight)
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        ZonedDateTime edited = ZonedDateTime.now(ZoneOffset.UTC);
        RealCluster.edit(client.resources(KeystoreSet.class).inNamespace(ns).withName("win"), s -> {
            s.getSpec().renewal.windows = List.of(window(Arrays.asList(Weekday.values()), edited.minusHours(1).format(hhmm),
                edited.plusHours(2).format(hhmm)));
            return s;
        });
        RealCluster.await("renewed in the window", TIMEOUT, () -> {
            String serial = tlsSerial(set(ns, "win"));
            return serial != null && !serial.equals(madeSerial);
        });
        KeystoreSet renewed = set(ns, "win");
        RealCluster.await("the window gauge gone", TIMEOUT, () -> windowGauge(ns, "win").isEmpty());
        assertTrue(Instant.parse(renewed.getStatus().keystores.tls.notAfter).isAfter(now.toInstant().plus(Duration.ofDays(80))));
        Instant shown = Instant.parse(renewed.getStatus().nextRenewalWindow);
        assertFalse(shown.isAfter(Instant.now()), "the window open now is shown: " + shown);
        assertTrue(ready(renewed).map(c -> "True".equals(c.getStatus())).orElse(false));
    }

    /** The operator's keystore_certificate_renewal_window_timestamp_seconds for a set's tls slot, if it has a row. */
    static Optional<Double> windowGauge(String ns, String name) {
        String metrics;
        try {
            metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + metricsPort + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        var row = java.util.regex.Pattern.compile("(?m)^keystore_certificate_renewal_window_timestamp_seconds\\{([^}]*)\\} (\\S+)$")
            .matcher(metrics).results().filter(m -> m.group(1).contains("namespace=\"" + ns + "\"")
                && m.group(1).contains("keystoreset=\"" + name + "\"") && m.group(1).contains("slot=\"tls\"")).findFirst();
        return row.map(m -> Double.parseDouble(m.group(2)));
    }

    @Test
    void anUnknownTimeZoneIsBadInput() throws Exception {
        String ns = "win-bad";
        cluster.createNamespace(ns);
        client.resource(client.getKubernetesSerialization().unmarshal("""
            apiVersion: keystore.dev/v1alpha1
            kind: KeystoreSet
            metadata: {name: tz, namespace: win-bad}
            spec:
              tls: {dnsNames: [tz.example.com], privateKey: {algorithm: EC}}
              renewal: {windows: [{days: [Sat], start: "02:00", end: "05:00", timeZone: Mars/Olympus_Mons}]}
            """, KeystoreSet.class)).create();
        RealCluster.await("tz Ready=False BadInput", TIMEOUT, () -> ready(set(ns, "tz"))
            .map(c -> "False".equals(c.getStatus()) && "BadInput".equals(c.getReason())).orElse(false));
        assertTrue(ready(set(ns, "tz")).orElseThrow().getMessage().contains("spec.renewal.windows[0].timeZone"));
        assertNull(secret(ns, "tz-keystores"), "nothing is written");
    }
}
