package dev.keystore.operator.config;

import dev.keystore.operator.api.v1alpha1.ConfigFormat;
import dev.keystore.operator.plan.Problem;
import dev.keystore.operator.plan.SetDefinition;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The snippets of {@code spec.config}, as Secret keys. They name files under {@code mountPath} and
 * refer to the password through the environment (KEYSTORE_PASSWORD); they never contain it.
 * Every value is escaped for its format, also where the CRD already refuses it; a value a format
 * cannot hold is refused as {@code InvalidSpec} naming the field.
 */
public final class Snippets {
    public static final String WSO2 = Wso2DeploymentToml.FILE;
    public static final String ZOWE = ZoweCertificatesEnv.FILE;
    public static final String LIBERTY = LibertyServerXml.FILE;
    public static final String PASSWORD_ENV = "KEYSTORE_PASSWORD";

    private Snippets() {
    }

    public static Map<String, byte[]> files(SetDefinition def) throws Problem.Raised {
        MountedSecret mounted = MountedSecret.of(def);
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (def.config().contains(ConfigFormat.wso2)) {
            files.put(WSO2, Wso2DeploymentToml.write(mounted).getBytes(StandardCharsets.UTF_8));
        }
        if (def.config().contains(ConfigFormat.zowe)) {
            files.put(ZOWE, ZoweCertificatesEnv.write(mounted).getBytes(StandardCharsets.UTF_8));
        }
        if (def.config().contains(ConfigFormat.liberty)) {
            files.put(LIBERTY, LibertyServerXml.write(mounted).getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }
}
