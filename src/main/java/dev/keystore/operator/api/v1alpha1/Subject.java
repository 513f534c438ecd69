package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Subject {
    @Pattern(Patterns.PRINTABLE)
    @Size(max = Patterns.MAX_COMMON_NAME)
    public String commonName;
    @Size(max = Patterns.MAX_SUBJECT_VALUES)
    public List<@Pattern(Patterns.PRINTABLE) @Size(max = Patterns.MAX_SUBJECT_VALUE) String> organizations;
    @Size(max = Patterns.MAX_SUBJECT_VALUES)
    public List<@Pattern(Patterns.PRINTABLE) @Size(max = Patterns.MAX_SUBJECT_VALUE) String> organizationalUnits;
    @Size(max = Patterns.MAX_SUBJECT_VALUES)
    public List<@Pattern(Patterns.PRINTABLE) @Size(max = Patterns.MAX_SUBJECT_VALUE) String> localities;
    @Size(max = Patterns.MAX_SUBJECT_VALUES)
    public List<@Pattern(Patterns.PRINTABLE) @Size(max = Patterns.MAX_SUBJECT_VALUE) String> provinces;
    @Size(max = Patterns.MAX_SUBJECT_VALUES)
    public List<@Pattern(Patterns.COUNTRY) String> countries;

    public Subject() {
    }

    public Subject(String commonName) {
        this.commonName = commonName;
    }
}
