package dev.keystore.operator.config;

import dev.keystore.operator.plan.Problem;

/**
 * What the three writers share: comments hold a user value only when it cannot end the comment
 * in any of the formats, and a value a format cannot hold is refused with the field to fix.
 * The value itself is never repeated in the message (it may hold a newline or a control
 * character); its offending character is named by code point.
 */
final class SnippetText {
    private static final int MAX_COMMENT_VALUE = 256;

    private SnippetText() {
    }

    /**
     * {@code value} if it is plain (letters, digits, {@code . _ / -}, no {@code --}, not too long),
     * else {@code fallback}: a plain value cannot end a TOML, shell or XML comment.
     */
    static String comment(String value, String fallback) {
        boolean plain = value != null && !value.isEmpty() && value.length() <= MAX_COMMENT_VALUE
            && value.chars().allMatch(SnippetText::plain) && !value.contains("--");
        return plain ? value : fallback;
    }

    private static boolean plain(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
            || c == '/' || c == '-';
    }

    /** The code point at {@code i}, refusing half of a surrogate pair (no encoding can write it). */
    static int codePointAt(String snippet, String field, String value, int i) throws Problem.Raised {
        char c = value.charAt(i);
        int cp = value.codePointAt(i);
        if (Character.isSurrogate(c) && Character.charCount(cp) == 1) {
            throw refuse(snippet, field, value, i, "is half of a UTF-16 surrogate pair, not a character");
        }
        return cp;
    }

    static Problem.Raised refuse(String snippet, String field, String value, int index, String why) {
        return Problem.invalidSpec(field, "cannot be written into " + snippet + ": " + describe(value.codePointAt(index))
            + " at character " + (value.codePointCount(0, index) + 1) + " " + why).raise();
    }

    static Problem.Raised refuse(String snippet, String field, String why) {
        return Problem.invalidSpec(field, "cannot be written into " + snippet + ": " + why).raise();
    }

    /** The Char production of XML 1.0. */
    static boolean xmlChar(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD || cp >= 0x20 && cp <= 0xD7FF || cp >= 0xE000 && cp <= 0xFFFD
            || cp >= 0x10000 && cp <= 0x10FFFF;
    }

    static String describe(int codePoint) {
        return String.format("U+%04X", codePoint);
    }
}
