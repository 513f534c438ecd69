package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeystoreImport {
    @Required
    public SecretKeyRef secretRef;
    @Required
    public SecretKeyRef passwordSecretRef;
    @Pattern(Patterns.PRINTABLE)
    @Size(max = Patterns.MAX_ALIAS)
    public String alias;
}
