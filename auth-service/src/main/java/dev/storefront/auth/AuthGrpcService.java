package dev.storefront.auth;

import dev.storefront.api.auth.v1.AuthServiceGrpc;
import dev.storefront.api.auth.v1.IssueServiceTokenRequest;
import dev.storefront.api.auth.v1.LoginRequest;
import dev.storefront.api.auth.v1.LogoutRequest;
import dev.storefront.api.auth.v1.LogoutResponse;
import dev.storefront.api.auth.v1.RefreshRequest;
import dev.storefront.api.auth.v1.RegisterRequest;
import dev.storefront.api.auth.v1.ServiceToken;
import io.grpc.stub.StreamObserver;

import org.springframework.grpc.server.service.GrpcService;

/** The gRPC adapter of {@code storefront.auth.v1.AuthService}; every rule lives in {@link AuthService}. */
@GrpcService
class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {

    private final AuthService auth;

    AuthGrpcService(AuthService auth) {
        this.auth = auth;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<dev.storefront.api.auth.v1.Session> responses) {
        Session session = this.auth
            .register(new Registration(request.getName(), request.getEmail(), request.getPassword()));
        responses.onNext(AuthMapper.toProto(session));
        responses.onCompleted();
    }

    @Override
    public void login(LoginRequest request, StreamObserver<dev.storefront.api.auth.v1.Session> responses) {
        responses.onNext(AuthMapper.toProto(this.auth.login(new Login(request.getEmail(), request.getPassword()))));
        responses.onCompleted();
    }

    @Override
    public void refresh(RefreshRequest request, StreamObserver<dev.storefront.api.auth.v1.Session> responses) {
        responses.onNext(AuthMapper.toProto(this.auth.refresh(request.getRefreshToken())));
        responses.onCompleted();
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LogoutResponse> responses) {
        this.auth.logout(request.getRefreshToken());
        responses.onNext(LogoutResponse.newBuilder().setSuccess(true).build());
        responses.onCompleted();
    }

    @Override
    public void issueServiceToken(IssueServiceTokenRequest request, StreamObserver<ServiceToken> responses) {
        ServiceToken token = AuthMapper.toProto(
                this.auth.issueServiceToken(new ClientCredentials(request.getClientId(), request.getClientSecret())));
        responses.onNext(token);
        responses.onCompleted();
    }

}
