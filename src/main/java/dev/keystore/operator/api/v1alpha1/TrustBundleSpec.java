package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrustBundleSpec {
    @Required
    @Size(max = Patterns.MAX_TRUST_SOURCES)
    public List<TrustSource> sources = new ArrayList<>();
    public TrustTarget target;
    public Boolean excludeExpired;
}
