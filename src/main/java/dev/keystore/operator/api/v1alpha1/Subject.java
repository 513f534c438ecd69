package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Subject {
    public String commonName;
    public List<String> organizations;
    public List<String> organizationalUnits;
    public List<String> localities;
    public List<String> provinces;
    public List<String> countries;

    public Subject() {
    }

    public Subject(String commonName) {
        this.commonName = commonName;
    }
}
