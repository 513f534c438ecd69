package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** When due renewals and rotations may happen. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RenewalSpec {
    @JsonPropertyDescription("Due renewals, rotations and CA replacement steps wait for one of these windows, unless waiting "
        + "would pass the safety point notAfter - max(renewBefore/2, 24h); a rotation token acts at once")
    @Size(max = Patterns.MAX_RENEWAL_WINDOWS)
    public List<RenewalWindow> windows = new ArrayList<>();
}
