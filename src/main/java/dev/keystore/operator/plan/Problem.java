package dev.keystore.operator.plan;

/**
 * Why a set cannot be made Ready: a CamelCase reason and a message naming what the user must fix
 * (the field, or the Secret and key). Never holds a password or key material.
 */
public record Problem(String reason, String message) {
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String SECRET_CONFLICT = "SecretConflict";
    public static final String MISSING_INPUT = "MissingInput";
    public static final String BAD_INPUT = "BadInput";
    public static final String ISSUER_NOT_READY = "IssuerNotReady";
    public static final String INTERNAL_KEY_IMMUTABLE = "InternalKeyImmutable";
    /** Anything else went wrong (a bug, a library failure): the log has the stack trace. */
    public static final String INTERNAL_ERROR = "InternalError";

    public static Problem invalidSpec(String field, String message) {
        return new Problem(INVALID_SPEC, field + ": " + message);
    }

    /** Thrown where a problem stops the work; carries the problem as a value. */
    public static final class Raised extends Exception {
        private final Problem problem;

        public Raised(Problem problem) {
            super(problem.reason() + ": " + problem.message(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    public Raised raise() {
        return new Raised(this);
    }
}
