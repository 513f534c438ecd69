package dev.keystore.operator.testing;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Helm chart in deploy/helm/keystore-operator, linted and rendered by helm (helm-java) and parsed. */
public final class OperatorChart {
    public static final Path PROJECT = Path.of(System.getProperty("project.dir", ".")).toAbsolutePath();
    public static final Path DIR = PROJECT.resolve("deploy/helm/keystore-operator");
    public static final String RELEASE = "keystore-operator";
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private OperatorChart() {
    }

    public static LintResult lint() {
        return new Helm(DIR).lint().strict().call();
    }

    /** helm template with --set values; returns the rendered objects (CRDs not included). */
    public static Rendered render(String namespace, Map<String, String> values) {
        TemplateCommand template = new Helm(DIR).template().withName(RELEASE).withNamespace(namespace).skipCrds();
        values.forEach(template::set);
        return new Rendered(parse(template.call()));
    }

    public static Rendered render(String namespace) {
        return render(namespace, Map.of());
    }

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
                objects.add(YAML.unmarshal(doc, HasMetadata.class));
            }
        }
        return objects;
    }

    /** The objects of one rendering, looked up by kind and name. */
    public record Rendered(List<HasMetadata> objects) {
        public <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        public <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = all(type);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
            }
            return found.get(0);
        }

        public <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
            return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
        }

        public Map<String, Long> kinds() {
            Map<String, Long> kinds = new LinkedHashMap<>();
            objects.forEach(o -> kinds.merge(o.getKind(), 1L, Long::sum));
            return kinds;
        }
    }
}
