using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using KrakenGrpc.Kraken.Errors;
using KrakenGrpc.Server.Errors;

namespace KrakenGrpc.Server.Hosting;

/// <summary>
/// Binds every gRPC service as Grpc.AspNetCore's own binder does, except that a request whose bytes are not a valid
/// message (truncated, invalid UTF-8 in a string, a wrong wire type) is refused with INVALID_ARGUMENT
/// (<c>MALFORMED_REQUEST</c>) instead of the framework's UNKNOWN "Exception was thrown by handler": it is the caller's
/// mistake, found before any interceptor or service code runs, and nothing is sent to Kraken.
/// </summary>
internal sealed class MalformedRequestRefusal<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bindService = BindServiceMethod();
        if (bindService is null)
        {
            return;
        }
        // Generated BindService(ServiceBinderBase, TServiceBase) only reads the service instance when it is called
        // for Grpc.Core; here it just lists the methods.
        bindService.Invoke(null, [new Binder(context), null]);
    }

    private static MethodInfo? BindServiceMethod()
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>() is { } attribute)
            {
                return attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type]);
            }
        }
        return null;
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Refusing(method), Metadata(method), Invoker<Grpc.AspNetCore.Server.Model.UnaryServerMethod<TService, TRequest, TResponse>>(method));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Refusing(method), Metadata(method), Invoker<Grpc.AspNetCore.Server.Model.ServerStreamingServerMethod<TService, TRequest, TResponse>>(method));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Refusing(method), Metadata(method), Invoker<Grpc.AspNetCore.Server.Model.ClientStreamingServerMethod<TService, TRequest, TResponse>>(method));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Refusing(method), Metadata(method), Invoker<Grpc.AspNetCore.Server.Model.DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method));

        // The service's implementation of the method (an override of the generated base, or the base's UNIMPLEMENTED).
        private static TDelegate Invoker<TDelegate>(IMethod method)
            where TDelegate : Delegate
        {
            var parameters = typeof(TDelegate).GetMethod("Invoke")!.GetParameters().Skip(1).Select(p => p.ParameterType).ToArray();
            var implementation = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {method.Name}.");
            return (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), null, implementation);
        }

        // As Grpc.AspNetCore does: the service's and the method's attributes, for endpoint metadata.
        private static List<object> Metadata(IMethod method)
        {
            var metadata = new List<object>(typeof(TService).GetCustomAttributes(inherit: true));
            if (typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance) is { } implementation)
            {
                metadata.AddRange(implementation.GetCustomAttributes(inherit: true));
            }
            return metadata;
        }

        private static Method<TRequest, TResponse> Refusing<TRequest, TResponse>(Method<TRequest, TResponse> method)
        {
            var inner = method.RequestMarshaller;
            var requests = new Marshaller<TRequest>(inner.ContextualSerializer, deserialization =>
            {
                try
                {
                    return inner.ContextualDeserializer(deserialization);
                }
                catch (InvalidProtocolBufferException malformed)
                {
                    throw KrakenErrorInterceptor.ToRpcException(new KrakenException(KrakenErrorTable.MalformedRequest, string.Empty,
                        $"The request is not a valid {typeof(TRequest).Name} message ({malformed.Message}); nothing was sent to Kraken."));
                }
            });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);
        }
    }
}
