package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrustTarget {
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @Size(max = Patterns.MAX_NAME)
    public String secretName;
    @Size(max = 3)
    public List<TrustFormat> formats;
    public SecretKeyRef passwordSecretRef;
}
