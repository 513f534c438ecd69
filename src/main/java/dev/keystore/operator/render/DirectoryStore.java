package dev.keystore.operator.render;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory that stands for a Secret: one file per key, mode 0600. Writes only the files whose
 * bytes change (each through a temporary file and a rename) and removes keys no longer present.
 */
final class DirectoryStore {
    private final Path dir;
    /** Lists the files this store wrote, so that only those are ever removed; null: the whole directory is ours. */
    private final Path manifest;

    DirectoryStore(Path dir, Path manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    Path path() {
        return dir;
    }

    /** Every regular, non-hidden file; empty when the directory does not exist. */
    Optional<Map<String, byte[]>> read() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(f)) {
                    data.put(name, Files.readAllBytes(f));
                }
            }
        }
        return data.isEmpty() ? Optional.empty() : Optional.of(data);
    }

    /** Makes the directory hold exactly {@code data}; returns how many files it wrote or removed. */
    int write(Map<String, byte[]> data) throws IOException {
        Files.createDirectories(dir);
        Map<String, byte[]> before = read().orElse(Map.of());
        int changes = 0;
        for (var e : data.entrySet()) {
            if (!Arrays.equals(before.get(e.getKey()), e.getValue())) {
                writeFile(dir.resolve(e.getKey()), e.getValue());
                changes++;
            }
        }
        java.util.Set<String> ours = manifest == null ? before.keySet()
            : Files.exists(manifest) ? java.util.Set.copyOf(Files.readAllLines(manifest)) : java.util.Set.of();
        for (String stale : ours) {
            if (!data.containsKey(stale) && before.containsKey(stale)) {
                Files.delete(dir.resolve(stale));
                changes++;
            }
        }
        if (manifest != null) {
            byte[] list = String.join("\n", new java.util.TreeSet<>(data.keySet())).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (!Files.exists(manifest) || !Arrays.equals(Files.readAllBytes(manifest), list)) {
                Files.createDirectories(manifest.getParent());
                writeFile(manifest, list);
            }
        }
        return changes;
    }

    private static void writeFile(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
