package dev.keystore.operator.render;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A directory that stands for a Secret: one file per key, mode 0600. A manifest lists the files
 * this store wrote: only those are ever removed, and a store that {@code readsOnlyItsOwn} (a record
 * directory) reads only those. Changes are planned on the {@link OutputTree} and written when it
 * commits: only the files whose bytes change.
 */
final class DirectoryStore {
    private final OutputTree tree;
    private final Path dir;
    private final Path manifest;
    private final boolean readsOnlyItsOwn;

    DirectoryStore(OutputTree tree, Path dir, Path manifest, boolean readsOnlyItsOwn) {
        this.tree = tree;
        this.dir = dir;
        this.manifest = manifest;
        this.readsOnlyItsOwn = readsOnlyItsOwn;
    }

    Path path() {
        return dir;
    }

    /** What the Secret holds now; empty when the directory does not exist or holds nothing. */
    Optional<Map<String, byte[]>> read() throws IOException {
        Set<String> only = null;
        if (readsOnlyItsOwn) {
            only = written();
            if (only.isEmpty()) {
                return Optional.empty();
            }
        }
        return tree.readDirectory(dir, only);
    }

    /** The file names the manifest lists (plain names only: any other line is never acted on). */
    private Set<String> written() throws IOException {
        Optional<byte[]> list = tree.readFile(manifest);
        Set<String> names = new LinkedHashSet<>();
        if (list.isPresent()) {
            for (String line : new String(list.get(), StandardCharsets.UTF_8).split("\n")) {
                if (OutputTree.isPlainName(line) && !line.startsWith(".")) {
                    names.add(line);
                }
            }
        }
        return names;
    }

    /** Plans the directory to hold {@code data}; returns how many files that writes or removes. */
    int plan(Map<String, byte[]> data) throws IOException {
        Map<String, byte[]> before = tree.readDirectory(dir, null).orElse(Map.of());
        Set<String> ours = written();
        int changes = 0;
        for (var e : data.entrySet()) {
            if (e.getKey().startsWith(".")) {
                throw new OutputTree.Refused("refusing to write the hidden file " + e.getKey() + " into " + dir);
            }
            Path file = tree.resolve(dir, e.getKey());
            if (!Arrays.equals(before.get(e.getKey()), e.getValue())) {
                tree.put(file, e.getValue());
                changes++;
            }
        }
        for (String stale : ours) {
            if (!data.containsKey(stale) && before.containsKey(stale)) {
                tree.delete(tree.resolve(dir, stale));
                changes++;
            }
        }
        byte[] list = String.join("\n", new TreeSet<>(data.keySet())).getBytes(StandardCharsets.UTF_8);
        Optional<byte[]> current = tree.readFile(manifest);
        if (current.isEmpty() || !Arrays.equals(current.get(), list)) {
            tree.put(manifest, list);
        }
        return changes;
    }
}
