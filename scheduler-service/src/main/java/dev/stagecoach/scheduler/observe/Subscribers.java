package dev.stagecoach.scheduler.observe;

import io.smallrye.mutiny.Multi;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Live listeners of one kind of value; each hears what it asked for from the moment it subscribed. */
final class Subscribers<T> {

    private record Subscriber<T>(Predicate<T> wants, Consumer<T> listener) {
    }

    private final CopyOnWriteArrayList<Subscriber<T>> subscribers = new CopyOnWriteArrayList<>();

    /** @return call it to stop listening */
    Runnable subscribe(Predicate<T> wants, Consumer<T> listener) {
        Subscriber<T> subscriber = new Subscriber<>(wants, listener);
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    void publish(T value) {
        for (Subscriber<T> subscriber : subscribers) {
            if (subscriber.wants().test(value)) {
                subscriber.listener().accept(value);
            }
        }
    }

    /** The values {@code wants} accepts, as a stream that ends listening when its subscriber cancels. */
    Multi<T> stream(Predicate<T> wants) {
        return stream(wants, value -> false);
    }

    /** As {@link #stream(Predicate)}, and the stream completes after the first value {@code last} accepts. */
    Multi<T> stream(Predicate<T> wants, Predicate<T> last) {
        return Multi.createFrom().emitter(emitter -> {
            Runnable unsubscribe = subscribe(wants, value -> {
                emitter.emit(value);
                if (last.test(value)) {
                    emitter.complete();
                }
            });
            emitter.onTermination(unsubscribe);
        });
    }

    int size() {
        return subscribers.size();
    }
}
