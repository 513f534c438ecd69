package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Labels and annotations a user adds to an output Secret (backup tools, replicators, policy engines). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretTemplate {
    public Map<String, String> labels;
    public Map<String, String> annotations;
}
