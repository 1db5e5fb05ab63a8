package dev.storefront.user.activity;

/** A watcher's place in the {@link ActivityFeed}; cancel it when the watcher goes away. */
public interface Subscription {

    void cancel();

}
