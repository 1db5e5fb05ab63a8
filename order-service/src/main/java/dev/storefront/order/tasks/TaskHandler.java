package dev.storefront.order.tasks;

/**
 * Does the work of one task type. The queue calls {@link #handle} inside a database transaction and
 * acknowledges the message only after that transaction commits; the transaction also records the
 * task id as done, so a task delivered twice has its effect once. Work outside the database (a
 * charge, a call to another service) must itself be idempotent, keyed by something of the task.
 *
 * <p>Throwing fails the attempt: the task is retried with a growing delay until its retries are used
 * up, then dead-lettered with the error. {@link TaskFailure#permanent} dead-letters it at once.
 */
public interface TaskHandler {

    /** The task type this handler does, such as {@code payment.process}. */
    String type();

    /** Does the task's work, inside the transaction that marks it done. */
    void handle(Task task) throws Exception;

}
