package dev.keystore.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Argo CD health checks of deploy/argocd/argocd-cm-patch.yaml the way Argo CD does: the
 * object as a Lua table in the global {@code obj}, the script returning {@code {status, message}}.
 */
public final class ArgoHealth {
    public static final Path PATCH = OperatorChart.PROJECT.resolve("deploy/argocd/argocd-cm-patch.yaml");
    public static final String KEY_PREFIX = "resource.customizations.health.";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    public record Health(String status, String message) {
    }

    private ArgoHealth() {
    }

    public static ConfigMap configMap() {
        try {
            return SERIALIZATION.unmarshal(Files.readString(PATCH), ConfigMap.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script Argo CD runs for a kind of the keystore.dev group. */
    public static String script(String kind) {
        String script = configMap().getData().get(KEY_PREFIX + "keystore.dev_" + kind);
        if (script == null) {
            throw new AssertionError("no health check for keystore.dev/" + kind + " in " + PATCH);
        }
        return script;
    }

    /** The health of an object (any Jackson-serializable form: a CR, a Map, JSON text). */
    public static Health assess(String kind, Object object) {
        JsonNode json = object instanceof String text ? SERIALIZATION.unmarshal(text, JsonNode.class)
            : SERIALIZATION.convertValue(object, JsonNode.class);
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", lua(json));
        LuaValue result = globals.load(script(kind), kind + "-health").call();
        return new Health(result.get("status").optjstring(null), result.get("message").optjstring(null));
    }

    static LuaValue lua(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return LuaValue.NIL;
        }
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                table.set(field.getKey(), lua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, lua(node.get(i)));
            }
            return table;
        }
        if (node.isIntegralNumber()) {
            return LuaValue.valueOf(node.asLong());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return LuaValue.valueOf(node.asText());
    }
}
