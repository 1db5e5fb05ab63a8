package dev.storefront.user;

import dev.storefront.api.user.v1.CreateUserRequest;
import dev.storefront.api.user.v1.DeleteUserRequest;
import dev.storefront.api.user.v1.DeleteUserResponse;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.ListUsersRequest;
import dev.storefront.api.user.v1.ListUsersResponse;
import dev.storefront.api.user.v1.UpdateUserRequest;
import dev.storefront.api.user.v1.UserActivity;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.api.user.v1.WatchUserActivityRequest;
import dev.storefront.user.activity.Subscription;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import org.springframework.grpc.server.service.GrpcService;

/** The gRPC adapter of {@code storefront.user.v1.UserService}; every rule lives in {@link UserService}. */
@GrpcService
class UserGrpcService extends UserServiceGrpc.UserServiceImplBase {

    private final UserService users;

    UserGrpcService(UserService users) {
        this.users = users;
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<dev.storefront.api.user.v1.User> responses) {
        responses.onNext(UserMapper.toProto(this.users.get(request.getUserId())));
        responses.onCompleted();
    }

    @Override
    public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> responses) {
        UserPage page = this.users.list(request.getPageSize(), request.getPageToken());
        responses.onNext(ListUsersResponse.newBuilder()
            .addAllUsers(page.users().stream().map(UserMapper::toProto).toList())
            .setNextPageToken(page.nextPageToken())
            .build());
        responses.onCompleted();
    }

    @Override
    public void createUser(CreateUserRequest request, StreamObserver<dev.storefront.api.user.v1.User> responses) {
        User user = this.users.create(new NewUser(request.getName(), request.getEmail(), request.getRolesList(), request.getUserId()));
        responses.onNext(UserMapper.toProto(user));
        responses.onCompleted();
    }

    @Override
    public void updateUser(UpdateUserRequest request, StreamObserver<dev.storefront.api.user.v1.User> responses) {
        User user = this.users.update(request.getUserId(),
                new UserChanges(request.getName(), request.getEmail(), request.getRolesList()));
        responses.onNext(UserMapper.toProto(user));
        responses.onCompleted();
    }

    @Override
    public void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> responses) {
        this.users.delete(request.getUserId());
        responses.onNext(DeleteUserResponse.newBuilder().setSuccess(true).build());
        responses.onCompleted();
    }

    @Override
    public void watchUserActivity(WatchUserActivityRequest request, StreamObserver<UserActivity> responses) {
        GrpcActivityStream stream = new GrpcActivityStream((ServerCallStreamObserver<UserActivity>) responses);
        Subscription subscription = this.users.watchActivity(request.getUserId(),
                (activity) -> stream.send(UserMapper.toProto(activity)), stream::complete);
        stream.onCancel(subscription::cancel);
    }

}
