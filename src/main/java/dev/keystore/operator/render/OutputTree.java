package dev.keystore.operator.render;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code -o} directory: every path render reads or writes is resolved here from plain name
 * segments, normalized and refused when it would leave the directory or pass through a symbolic
 * link. Writes are collected first and then {@link #commit() committed} together: every new file is
 * staged as a temporary file beside its target and every file to be replaced or removed is kept
 * aside, so that a failure at any point puts the directory back as it was.
 */
final class OutputTree {
    /** A path render will not touch: outside -o, through a symbolic link, or not a plain name. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message, null);
        }
    }

    /** Called before each change to the file system; a test throws from it to fail the run at that point. */
    interface Step {
        Step NONE = what -> { };

        void before(String what) throws IOException;
    }

    private final Path root;
    private final Step step;
    private final Map<Path, byte[]> puts = new LinkedHashMap<>();
    private final Set<Path> deletes = new LinkedHashSet<>();

    OutputTree(Path root, Step step) {
        this.root = root.toAbsolutePath().normalize();
        this.step = step;
    }

    Path root() {
        return root;
    }

    /** {@code root/segment/segment...}; each segment a plain name: not empty, no '/', not "." or "..", no NUL. */
    Path resolve(String... segments) throws Refused {
        return resolve(root, segments);
    }

    Path resolve(Path base, String... segments) throws Refused {
        Path p = inside(base);
        for (String segment : segments) {
            if (!isPlainName(segment)) {
                throw new Refused("refusing the path name '" + printable(segment) + "' under " + p
                    + ": not a plain file name");
            }
            p = p.resolve(segment);
        }
        return inside(p.normalize());
    }

    static boolean isPlainName(String segment) {
        return segment != null && !segment.isEmpty() && !segment.equals(".") && !segment.equals("..")
            && segment.indexOf('/') < 0 && segment.indexOf('\\') < 0 && segment.indexOf('\0') < 0;
    }

    private Path inside(Path p) throws Refused {
        Path normal = p.toAbsolutePath().normalize();
        if (!normal.startsWith(root)) {
            throw new Refused("refusing " + normal + ": it is outside the output directory " + root);
        }
        return normal;
    }

    /** Refuses a path that is, or passes through, a symbolic link below the root. */
    void checkNoLink(Path p) throws Refused {
        Path normal = inside(p);
        Path current = root;
        for (Path part : root.relativize(normal)) {
            if (part.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw new Refused("refusing " + normal + ": " + current + " is a symbolic link");
            }
        }
    }

    /** The regular, non-hidden files of a directory (not symbolic links); empty when it does not exist. */
    Optional<Map<String, byte[]>> readDirectory(Path dir, Set<String> only) throws IOException {
        checkNoLink(dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || (only != null && !only.contains(name))) {
                    continue;
                }
                // a link is never read (it could bring in a key from anywhere) and never written through: see put()
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    data.put(name, Files.readAllBytes(f));
                }
            }
        }
        return data.isEmpty() ? Optional.empty() : Optional.of(data);
    }

    Optional<byte[]> readFile(Path file) throws IOException {
        checkNoLink(file);
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    /** Plans {@code file} to hold {@code bytes} (mode 0600) when the run commits. */
    void put(Path file, byte[] bytes) throws Refused {
        checkNoLink(file);
        puts.put(inside(file), bytes.clone());
    }

    /** Plans {@code file} to be removed when the run commits. */
    void delete(Path file) throws Refused {
        checkNoLink(file);
        deletes.add(inside(file));
    }

    boolean isEmpty() {
        return puts.isEmpty() && deletes.isEmpty();
    }

    /** Applies every planned change, or none: on failure the directory is as it was and the cause is thrown. */
    void commit() throws IOException {
        String token = Long.toHexString(System.nanoTime()) + Long.toHexString(ProcessHandle.current().pid());
        List<Path> createdDirs = new ArrayList<>();
        Map<Path, Path> staged = new LinkedHashMap<>();
        Map<Path, Path> kept = new LinkedHashMap<>();
        List<Path> done = new ArrayList<>();
        boolean committed = false;
        try {
            for (var e : puts.entrySet()) {
                Path target = e.getKey();
                createDirectories(target.getParent(), createdDirs);
                checkNoLink(target);
                Path tmp = target.resolveSibling("." + target.getFileName() + "." + token + ".tmp");
                step.before("stage " + target);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                staged.put(target, tmp);
                Files.write(tmp, e.getValue());
            }
            for (Path target : union()) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    checkNoLink(target);
                    Path aside = target.resolveSibling("." + target.getFileName() + "." + token + ".old");
                    step.before("keep " + target);
                    keepAside(target, aside);
                    kept.put(target, aside);
                }
            }
            for (var e : staged.entrySet()) {
                step.before("write " + e.getKey());
                move(e.getValue(), e.getKey());
                done.add(e.getKey());
            }
            for (Path target : deletes) {
                if (!puts.containsKey(target) && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    step.before("delete " + target);
                    Files.delete(target);
                    done.add(target);
                }
            }
            committed = true;
        } finally {
            if (!committed) {
                rollBack(done, kept, staged, createdDirs);
            }
            for (Path aside : kept.values()) {
                Files.deleteIfExists(aside);
            }
            puts.clear();
            deletes.clear();
        }
    }

    private Set<Path> union() {
        Set<Path> all = new LinkedHashSet<>(puts.keySet());
        all.addAll(deletes);
        return all;
    }

    private void createDirectories(Path dir, List<Path> created) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            if (p.startsWith(root) && !p.equals(root)) {
                checkNoLink(p.getParent());
            }
            step.before("mkdir " + p);
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            created.add(p);
        }
        checkNoLink(dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused("refusing " + dir + ": it is not a directory");
        }
    }

    /** A hard link where the file system has them (no copy), else a copy. */
    private static void keepAside(Path target, Path aside) throws IOException {
        try {
            Files.createLink(aside, target);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(target, aside, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Best effort, in reverse: what was replaced or removed comes back, what is new goes. */
    private static void rollBack(List<Path> done, Map<Path, Path> kept, Map<Path, Path> staged, List<Path> createdDirs) {
        for (int i = done.size() - 1; i >= 0; i--) {
            Path target = done.get(i);
            try {
                Path aside = kept.get(target);
                if (aside != null) {
                    move(aside, target);
                } else {
                    Files.deleteIfExists(target);
                }
            } catch (IOException ignored) {
                // nothing better to do: the error that stopped the run is reported
            }
        }
        for (Path tmp : staged.values()) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // as above
            }
        }
        for (int i = createdDirs.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(createdDirs.get(i));
            } catch (IOException ignored) {
                // not empty: something else put a file there meanwhile; leave it
            }
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.length() > 80 ? out.substring(0, 80) + "..." : out.toString();
    }
}
