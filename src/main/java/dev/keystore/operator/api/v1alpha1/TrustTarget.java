package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrustTarget {
    public String secretName;
    public List<TrustFormat> formats;
    public SecretKeyRef passwordSecretRef;
}
