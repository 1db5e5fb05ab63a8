package dev.storefront.order.tasks;

/**
 * A task failure that no retry can fix (an unreadable payload, a request that cannot make sense):
 * the task goes to the dead-letter queue at once, with this message as its last error.
 */
public final class TaskFailure extends RuntimeException {

    private TaskFailure(String message) {
        super(message);
    }

    /** A failure that dead-letters the task without retrying. */
    public static TaskFailure permanent(String message) {
        return new TaskFailure(message);
    }

}
