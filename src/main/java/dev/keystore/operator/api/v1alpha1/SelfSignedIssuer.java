package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SelfSignedIssuer {
    @JsonPropertyDescription("CA subject; default CN \"<name> CA\"")
    public Subject subject;
    @JsonPropertyDescription("CA lifetime; default 87600h")
    @Pattern(Patterns.DURATION)
    @Size(max = Patterns.MAX_DURATION)
    public String duration;
    public PrivateKeySpec privateKey;
}
