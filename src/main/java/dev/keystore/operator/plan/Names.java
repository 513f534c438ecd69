package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.Patterns;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names as the API server checks them, for what the CRD schema cannot say: {@code metadata.name}
 * (a DNS-1123 subdomain) and a KeystoreSet name short enough to be the value of the label the
 * operator puts on the set's Secrets. One rule for the operator and for {@code render}.
 */
public final class Names {
    /** The label value limit: a KeystoreSet's name is written as a label value on its Secrets. */
    public static final int MAX_SET_NAME = Patterns.MAX_SET_NAME;
    private static final Pattern SUBDOMAIN = Pattern.compile(Patterns.DNS_SUBDOMAIN);
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

    private Names() {
    }

    /** Whether the API server accepts {@code name} as the name of a Secret, ConfigMap or custom resource. */
    public static boolean isSubdomain(String name) {
        return name != null && name.length() <= Patterns.MAX_NAME && SUBDOMAIN.matcher(name).matches();
    }

    /** Whether {@code name} is a DNS-1123 label (a namespace's name). */
    public static boolean isLabel(String name) {
        return name != null && name.length() <= 63 && LABEL.matcher(name).matches();
    }

    /** What is wrong with an object's name, in the API server's words; empty when it is fine. */
    public static Optional<String> objectNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("Required value: name is required");
        }
        if (name.length() > Patterns.MAX_NAME) {
            return Optional.of("Invalid value: \"" + name.substring(0, 20) + "...\": must be no more than "
                + Patterns.MAX_NAME + " characters");
        }
        if (!SUBDOMAIN.matcher(name).matches()) {
            return Optional.of("Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain must consist of lower case"
                + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
        return Optional.empty();
    }

    /** As {@link #objectNameProblem}, and a KeystoreSet's name must fit a label value. */
    public static Optional<String> setNameProblem(String name) {
        Optional<String> problem = objectNameProblem(name);
        if (problem.isPresent()) {
            return problem;
        }
        if (name.length() > MAX_SET_NAME) {
            return Optional.of("Invalid value: \"" + name + "\": must be no more than " + MAX_SET_NAME
                + " characters (it is the value of a label on the set's Secrets)");
        }
        return Optional.empty();
    }

    /** For the operator: an over-long or malformed set name is an InvalidSpec naming {@code metadata.name}. */
    public static void checkSetName(String name) throws Problem.Raised {
        Optional<String> problem = setNameProblem(name);
        if (problem.isPresent()) {
            throw Problem.invalidSpec("metadata.name", problem.get()).raise();
        }
    }
}
