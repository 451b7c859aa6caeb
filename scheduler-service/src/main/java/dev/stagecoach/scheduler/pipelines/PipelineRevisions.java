package dev.stagecoach.scheduler.pipelines;

import dev.stagecoach.pipeline.LoadResult;
import dev.stagecoach.pipeline.PipelineDefinition;
import dev.stagecoach.pipeline.PipelineLoader;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduler's one cache of parsed pipeline revisions, shared by the engine's stream
 * threads, the REST threads and the triggers: each revision is parsed once, not on every
 * event and every request. A revision is its pipeline's name, its revision number and its
 * YAML: the same name and number may stand for another text, since revisions count from 1
 * again when the pipelines topic starts afresh.
 *
 * <p>It holds revisions as declared. The engine expands fan-out itself, keeping one expansion
 * per definition object, so handing it the same object for the same revision is what spares
 * it expanding again. Bounded: the least recently used revision goes first.
 */
@Singleton
public final class PipelineRevisions {

    /** Many more revisions than are in use at once: the registered ones plus those of running runs. */
    static final int DEFAULT_CAPACITY = 256;

    private record Key(String pipeline, int revision, String yaml) {
    }

    /**
     * One revision, parsed on first use. The lock is the revision's own, so that a slow parse
     * holds up only those who want this revision, and two of them never parse it twice.
     */
    private static final class Revision {

        private final Key key;
        private LoadResult loaded;

        Revision(Key key) {
            this.key = key;
        }

        synchronized LoadResult loaded() {
            if (loaded == null) {
                loaded = PipelineLoader.load(key.yaml(), key.pipeline() + ".yaml");
            }
            return loaded;
        }
    }

    private final Map<Key, Revision> revisions;

    public PipelineRevisions() {
        this(DEFAULT_CAPACITY);
    }

    PipelineRevisions(int capacity) {
        this.revisions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Revision> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * What the loader said about this revision: its definition, or every error it has under
     * this scheduler's loader (one that an older scheduler registered may no longer load).
     */
    public LoadResult loaded(String pipeline, int revision, String yaml) {
        Key key = new Key(pipeline, revision, yaml);
        Revision entry;
        synchronized (revisions) {
            entry = revisions.computeIfAbsent(key, Revision::new);
        }
        return entry.loaded();
    }

    /**
     * The revision as declared, the same object for as long as it stays cached.
     *
     * @throws dev.stagecoach.pipeline.InvalidPipelineException with the loader's errors when it does not load
     */
    public PipelineDefinition declared(String pipeline, int revision, String yaml) {
        return loaded(pipeline, revision, yaml).orThrow();
    }

    /** How many revisions are held. */
    int size() {
        synchronized (revisions) {
            return revisions.size();
        }
    }
}
