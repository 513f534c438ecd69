package dev.keystore.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One corpus for the CRD patterns, used both by {@link CrdSchemaTest} (render's Java-side check)
 * and by CrdPatternsIT (the real API server): each case sets one field of an ordinary resource to
 * a value, and says which field must be named when it is refused (null: it must be accepted).
 */
public final class HostileSpecs {
    static final ObjectMapper JSON = new ObjectMapper();

    /** @param field the kubectl path of the field set; @param refusedAt null when the value must be accepted */
    public record Case(String kind, String field, JsonNode value, String refusedAt) {
        public boolean refused() {
            return refusedAt != null;
        }

        @Override
        public String toString() {
            String shown = value.toString();
            return kind + " " + field + "=" + (shown.length() > 60 ? shown.substring(0, 60) + "..." : shown)
                + (refused() ? " refused" : " accepted");
        }

        /** An ordinary resource named {@code name} with this case's value set. */
        public ObjectNode resource(String name, String namespace) {
            ObjectNode doc = base(kind, name, namespace);
            set(doc, field, value);
            return doc;
        }
    }

    private HostileSpecs() {
    }

    static ObjectNode base(String kind, String name, String namespace) {
        try {
            ObjectNode doc = (ObjectNode) JSON.readTree(kind.equals("KeystoreSet") ? """
                {"apiVersion": "keystore.dev/v1alpha1", "kind": "KeystoreSet", "metadata": {},
                 "spec": {"tls": {"dnsNames": ["app.example.com"]}, "truststore": {}}}
                """ : """
                {"apiVersion": "keystore.dev/v1alpha1", "kind": "TrustBundle", "metadata": {},
                 "spec": {"sources": [{"systemCAs": true}], "target": {}}}
                """);
            ((ObjectNode) doc.get("metadata")).put("name", name).put("namespace", namespace);
            return doc;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sets {@code a.b[0].c} in {@code doc}, making objects and arrays on the way. */
    static void set(ObjectNode doc, String path, JsonNode value) {
        JsonNode current = doc;
        String[] parts = path.replace("[", ".[").split("\\.");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            boolean nextIsIndex = !last && parts[i + 1].startsWith("[");
            if (part.startsWith("[")) {
                int index = Integer.parseInt(part.substring(1, part.length() - 1));
                ArrayNode array = (ArrayNode) current;
                while (array.size() <= index) {
                    array.add(nextIsIndex ? array.arrayNode() : array.objectNode());
                }
                if (last) {
                    array.set(index, value);
                } else {
                    current = array.get(index);
                }
            } else {
                ObjectNode object = (ObjectNode) current;
                if (last) {
                    object.set(part, value);
                } else {
                    if (!object.has(part) || !(object.get(part).isContainerNode())) {
                        object.set(part, nextIsIndex ? object.arrayNode() : object.objectNode());
                    } else if (nextIsIndex && object.get(part).isArray()) {
                        ((ArrayNode) object.get(part)).removeAll();
                    }
                    current = object.get(part);
                }
            }
        }
    }

    private static JsonNode text(String s) {
        return JsonNodeFactory.instance.textNode(s);
    }

    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        String set = "KeystoreSet";
        String tb = "TrustBundle";
        // mountPath: goes into comments of deployment.toml and the zowe env file, and into server.xml
        for (String bad : List.of("relative/path", "/a/../b", "/..", "/a/..", "/a--b", "/x/-->", "/a\n[admin]",
            "/a b", "/a;touch x", "/a'$(id)'", "/a\"b", "/a\\b", "/a\u0000b", "/x/" + "a".repeat(1030))) {
            c.add(new Case(set, "spec.mountPath", text(bad), "spec.mountPath"));
        }
        for (String good : List.of("/", "/etc/keystores", "/home/wso2carbon/wso2am/repository/resources/security",
            "/global/zowe/keystore", "/opt/a.b-c_d/e.-f", "/config/resources/security/")) {
            c.add(new Case(set, "spec.mountPath", text(good), null));
        }
        // names of Secrets the operator writes or reads
        for (String bad : List.of("../x", "/etc/passwd", "a/b", "UPPER", "a_b", "-a", "a-", ".a", "a..b", "",
            "a".repeat(245))) {
            c.add(new Case(set, "spec.secretName", text(bad), "spec.secretName"));
        }
        c.add(new Case(set, "spec.secretName", text("a".repeat(244)), null));
        c.add(new Case(set, "spec.secretName", text("apim-keystores"), null));
        c.add(new Case(set, "spec.secretName", text("apim.keystores"), null));
        for (String field : List.of("spec.passwordSecretRef.name", "spec.issuer.ca.secretRef.name",
            "spec.issuer.keystoreSetRef.name", "spec.truststore.trustBundleRefs[0].name",
            "spec.tls.import.secretRef.name", "spec.internal.import.keystore.secretRef.name")) {
            c.add(new Case(set, field, text("../etc"), field));
        }
        c.add(new Case(set, "spec.rollout[0]", node("{\"kind\": \"Deployment\", \"name\": \"../x\"}"), "spec.rollout[0].name"));
        c.add(new Case(set, "spec.passwordSecretRef", node("{\"name\": \"pw\", \"key\": \"a/b\"}"),
            "spec.passwordSecretRef.key"));
        c.add(new Case(set, "spec.passwordSecretRef", node("{\"name\": \"app-password\", \"key\": \"pw.txt\"}"), null));
        // a required field left out
        c.add(new Case(set, "spec.internal.import.keystore", node("{\"passwordSecretRef\": {\"name\": \"pw\"}}"),
            "spec.internal.import.keystore.secretRef"));
        // aliases and file names
        for (String bad : List.of("a\nb", "a b", "-x", "", "a\u007f", "a/b", "a".repeat(129), "<x>", "a\"b")) {
            c.add(new Case(set, "spec.tls.alias", text(bad), "spec.tls.alias"));
        }
        for (String good : List.of("wso2carbon", "WSO2Carbon", "my.alias-1", "client@corp", "a".repeat(128))) {
            c.add(new Case(set, "spec.tls.alias", text(good), null));
        }
        c.add(new Case(set, "spec.internal.import.keystore",
            node("{\"secretRef\": {\"name\": \"s\"}, \"passwordSecretRef\": {\"name\": \"pw\"}, \"alias\": \"old\\nkey\"}"),
            "spec.internal.import.keystore.alias"));
        c.add(new Case(set, "spec.internal.import.keystore",
            node("{\"secretRef\": {\"name\": \"s\"}, \"passwordSecretRef\": {\"name\": \"pw\"}, \"alias\": \"my old key\"}"),
            null));
        for (String bad : List.of("../x.p12", "a/b.p12", ".hidden", "-rf", "", "a b.jks", "/abs.jks")) {
            c.add(new Case(set, "spec.tls.fileName", text(bad), "spec.tls.fileName"));
            c.add(new Case(set, "spec.truststore.fileName", text(bad), "spec.truststore.fileName"));
        }
        for (String good : List.of("tls_keystore.jks", "client-truststore.jks", "key.p12", "wso2carbon.jks")) {
            c.add(new Case(set, "spec.tls.fileName", text(good), null));
        }
        // durations
        for (String bad : List.of("10 years", "-1h", "1e9h", "h", "8760", "8760h ", "1234567890h")) {
            c.add(new Case(set, "spec.tls.duration", text(bad), "spec.tls.duration"));
        }
        c.add(new Case(set, "spec.tls.renewBefore", text("soon"), "spec.tls.renewBefore"));
        c.add(new Case(set, "spec.issuer.selfSigned.duration", text("forever"), "spec.issuer.selfSigned.duration"));
        for (String good : List.of("8760h", "1.5h", "90m", "720h30m", "500ms", "90s")) {
            c.add(new Case(set, "spec.tls.duration", text(good), null));
        }
        // certificate contents
        for (String bad : List.of("a b", "evil\n", "a/b", "$(id)", "a".repeat(254))) {
            c.add(new Case(set, "spec.tls.dnsNames[0]", text(bad), "spec.tls.dnsNames[0]"));
        }
        for (String good : List.of("*.example.com", "apim.wso2.svc", "localhost", "_srv.example.com")) {
            c.add(new Case(set, "spec.tls.dnsNames[0]", text(good), null));
        }
        c.add(new Case(set, "spec.tls.ipAddresses[0]", text("1.2.3.4; rm"), "spec.tls.ipAddresses[0]"));
        c.add(new Case(set, "spec.tls.ipAddresses[0]", text("::1"), null));
        c.add(new Case(set, "spec.tls.dnsNames", many(101, "h%d.example.com"), "spec.tls.dnsNames"));
        c.add(new Case(set, "spec.tls.dnsNames", many(100, "h%d.example.com"), null));
        c.add(new Case(set, "spec.tls.subject.commonName", text("x\u0000y"), "spec.tls.subject.commonName"));
        c.add(new Case(set, "spec.tls.subject.commonName", text("c".repeat(65)), "spec.tls.subject.commonName"));
        c.add(new Case(set, "spec.tls.subject.commonName", text("z/OS Connect CA (test)"), null));
        c.add(new Case(set, "spec.tls.subject.organizations[0]", text("Example\r\nInc"), "spec.tls.subject.organizations[0]"));
        c.add(new Case(set, "spec.tls.subject.countries[0]", text("USA"), "spec.tls.subject.countries[0]"));
        c.add(new Case(set, "spec.tls.subject.countries[0]", text("DE"), null));
        c.add(new Case(set, "spec.tls.privateKey.size", JsonNodeFactory.instance.numberNode(100000), "spec.tls.privateKey.size"));
        c.add(new Case(set, "spec.tls.privateKey.size", JsonNodeFactory.instance.numberNode(0), "spec.tls.privateKey.size"));
        c.add(new Case(set, "spec.tls.privateKey.size", JsonNodeFactory.instance.numberNode(3072), null));
        c.add(new Case(set, "spec.config", node("[\"wso2\", \"zowe\", \"liberty\", \"wso2\"]"), "spec.config"));
        // TrustBundle
        for (String bad : List.of("/abs", "../x", "Bad")) {
            c.add(new Case(tb, "spec.target.secretName", text(bad), "spec.target.secretName"));
        }
        c.add(new Case(tb, "spec.target.secretName", text("corp-trust"), null));
        c.add(new Case(tb, "spec.sources[0]", node("{\"secret\": {\"name\": \"../ca\"}}"), "spec.sources[0].secret.name"));
        c.add(new Case(tb, "spec.sources[0]", node("{\"configMap\": {\"name\": \"cas\", \"key\": \"a/b\"}}"),
            "spec.sources[0].configMap.key"));
        c.add(new Case(tb, "spec.sources[0]", node("{\"keystoreSet\": {\"name\": \"A\"}}"), "spec.sources[0].keystoreSet.name"));
        c.add(new Case(tb, "spec.sources[0].inline", text("x".repeat((1 << 20) + 1)), "spec.sources[0].inline"));
        c.add(new Case(tb, "spec.sources", many(65, "x%d"), "spec.sources"));
        return c;
    }

    private static JsonNode node(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ArrayNode many(int n, String format) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < n; i++) {
            if (format.startsWith("x")) {
                array.add(JsonNodeFactory.instance.objectNode().put("inline", String.format(format, i)));
            } else {
                array.add(String.format(format, i));
            }
        }
        return array;
    }
}
