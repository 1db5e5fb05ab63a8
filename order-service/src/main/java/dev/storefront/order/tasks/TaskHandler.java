package dev.storefront.order.tasks;

/**
 * Does the work of one task type. The queue calls {@link #handle} inside a database transaction and
 * acknowledges the message only after that transaction commits; the transaction also records the
 * task id as done, so a task delivered twice has its effect once. Work outside the database (a
 * charge, a call to another service) must itself be idempotent, keyed by something of the task.
 *
 * <p>Throwing fails the attempt: the task is retried with a growing delay until its retries are used
 * up, then dead-lettered with the error. {@link TaskFailure#permanent} dead-letters it at once. The
 * exception's class and message become the task's {@code last_error}, shown to admins by the task
 * admin API: keep secrets and personal data out of it (logs get the exception class only).
 *
 * <p>Tasks the handler queues through {@link TaskQueue} join its transaction, so they exist only if
 * the attempt commits. A handler runs on a worker thread, with no caller ({@code CurrentPrincipal})
 * bound. Its type is lower case and dotted; two handlers of one type stop the service at startup.
 */
public interface TaskHandler {

    /** The task type this handler does, such as {@code payment.process}. */
    String type();

    /** Does the task's work, inside the transaction that marks it done. */
    void handle(Task task) throws Exception;

}
