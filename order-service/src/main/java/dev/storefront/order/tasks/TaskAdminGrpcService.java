package dev.storefront.order.tasks;

import dev.storefront.api.order.v1.EnqueueTaskRequest;
import dev.storefront.api.order.v1.GetQueueStatsRequest;
import dev.storefront.api.order.v1.ListDeadLettersRequest;
import dev.storefront.api.order.v1.ListDeadLettersResponse;
import dev.storefront.api.order.v1.QueueStats;
import dev.storefront.api.order.v1.RedriveDeadLettersRequest;
import dev.storefront.api.order.v1.RedriveDeadLettersResponse;
import dev.storefront.api.order.v1.TaskAdminServiceGrpc;
import io.grpc.stub.StreamObserver;

import org.springframework.grpc.server.service.GrpcService;

/**
 * The gRPC adapter of {@code storefront.order.v1.TaskAdminService}; every rule lives in
 * {@link TaskAdministration}. The proto cannot tell an unset {@code priority} from 0, so gRPC callers
 * always choose one; {@code max_retry} 0 means the configured default, as the contract says.
 */
@GrpcService
class TaskAdminGrpcService extends TaskAdminServiceGrpc.TaskAdminServiceImplBase {

    private final TaskAdministration administration;

    private final TaskCodec codec;

    TaskAdminGrpcService(TaskAdministration administration, TaskCodec codec) {
        this.administration = administration;
        this.codec = codec;
    }

    @Override
    public void enqueueTask(EnqueueTaskRequest request, StreamObserver<dev.storefront.api.order.v1.Task> responses) {
        Task task = this.administration.enqueue(new TaskAdministration.TaskRequest(request.getType(),
                request.getPayload(), request.getPriority(), (request.getMaxRetry() != 0) ? request.getMaxRetry() : null,
                request.hasExecuteAt() ? TaskMapper.instant(request.getExecuteAt()) : null));
        responses.onNext(TaskMapper.toProto(task, this.codec));
        responses.onCompleted();
    }

    @Override
    public void getQueueStats(GetQueueStatsRequest request, StreamObserver<QueueStats> responses) {
        responses.onNext(TaskMapper.toProto(this.administration.stats()));
        responses.onCompleted();
    }

    @Override
    public void listDeadLetters(ListDeadLettersRequest request, StreamObserver<ListDeadLettersResponse> responses) {
        ListDeadLettersResponse.Builder response = ListDeadLettersResponse.newBuilder();
        this.administration.deadLetters(request.getPageSize())
            .forEach((letter) -> response.addTasks(TaskMapper.toProto(letter, this.codec)));
        responses.onNext(response.build());
        responses.onCompleted();
    }

    @Override
    public void redriveDeadLetters(RedriveDeadLettersRequest request,
            StreamObserver<RedriveDeadLettersResponse> responses) {
        int redriven = this.administration.redrive(request.getTaskIdsList());
        responses.onNext(RedriveDeadLettersResponse.newBuilder().setRedriven(redriven).build());
        responses.onCompleted();
    }

}
