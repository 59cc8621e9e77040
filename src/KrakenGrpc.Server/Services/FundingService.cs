using Grpc.Core;
using KrakenGrpc.Contracts.Spot.V1;
using KrakenGrpc.Kraken.Catalogue;
using KrakenGrpc.Server.Mapping;

namespace KrakenGrpc.Server.Services;

/// <summary>
/// Funding and Earn: deposit methods and addresses, deposit and withdrawal history, withdrawals and their
/// cancellation, transfers to the Futures wallet, Earn strategies and (de)allocations. Each RPC is one catalogued
/// private Kraken call, signed for the calling account. The money-moving calls are catalogue writes and are never
/// re-sent; so is a DepositAddresses call that generates a new address.
/// </summary>
internal sealed class FundingService(KrakenCalls kraken) : Contracts.Spot.V1.FundingService.FundingServiceBase
{
    public override Task<GetDepositMethodsResponse> GetDepositMethods(GetDepositMethodsRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.DepositMethods, FundingMapping.Parameters(request), FundingMapping.ToDepositMethods, context);

    public override Task<GetDepositAddressesResponse> GetDepositAddresses(GetDepositAddressesRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(FundingMapping.Endpoint(request), FundingMapping.Parameters(request), FundingMapping.ToDepositAddresses, context);

    public override Task<GetDepositsStatusResponse> GetDepositsStatus(GetDepositsStatusRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.DepositStatus, FundingMapping.Parameters(request), FundingMapping.ToDepositsStatus, context);

    public override Task<GetWithdrawalMethodsResponse> GetWithdrawalMethods(GetWithdrawalMethodsRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.WithdrawMethods, FundingMapping.Parameters(request), FundingMapping.ToWithdrawalMethods, context);

    public override Task<GetWithdrawalAddressesResponse> GetWithdrawalAddresses(GetWithdrawalAddressesRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.WithdrawAddresses, FundingMapping.Parameters(request), FundingMapping.ToWithdrawalAddresses, context);

    public override Task<GetWithdrawalInfoResponse> GetWithdrawalInfo(GetWithdrawalInfoRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.WithdrawInfo, FundingMapping.Parameters(request), FundingMapping.ToWithdrawalInfo, context);

    public override Task<SubmitWithdrawalResponse> SubmitWithdrawal(SubmitWithdrawalRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.Withdraw, FundingMapping.Parameters(request), FundingMapping.ToSubmitWithdrawal, context);

    public override Task<GetWithdrawalsStatusResponse> GetWithdrawalsStatus(GetWithdrawalsStatusRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.WithdrawStatus, FundingMapping.Parameters(request), FundingMapping.ToWithdrawalsStatus, context);

    public override Task<CancelWithdrawalResponse> CancelWithdrawal(CancelWithdrawalRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.WithdrawCancel, FundingMapping.Parameters(request), FundingMapping.ToCancelWithdrawal, context);

    public override Task<SubmitTransferToFuturesResponse> SubmitTransferToFutures(SubmitTransferToFuturesRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.WalletTransfer, FundingMapping.Parameters(request), FundingMapping.ToSubmitTransferToFutures, context);

    public override Task<GetEarnStrategiesResponse> GetEarnStrategies(GetEarnStrategiesRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.EarnStrategies, FundingMapping.Parameters(request), FundingMapping.ToEarnStrategies, context);

    public override Task<GetEarnAllocationsResponse> GetEarnAllocations(GetEarnAllocationsRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.EarnAllocations, FundingMapping.Parameters(request), FundingMapping.ToEarnAllocations, context);

    public override Task<AllocateEarnFundsResponse> AllocateEarnFunds(AllocateEarnFundsRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.EarnAllocate, FundingMapping.Parameters(request), FundingMapping.ToAllocateEarnFunds, context);

    public override Task<DeallocateEarnFundsResponse> DeallocateEarnFunds(DeallocateEarnFundsRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.EarnDeallocate, FundingMapping.Parameters(request), FundingMapping.ToDeallocateEarnFunds, context);

    public override Task<GetEarnAllocationStatusResponse> GetEarnAllocationStatus(GetEarnAllocationStatusRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.EarnAllocateStatus, FundingMapping.Parameters(request), FundingMapping.ToEarnAllocationStatus, context);

    public override Task<GetEarnDeallocationStatusResponse> GetEarnDeallocationStatus(GetEarnDeallocationStatusRequest request, ServerCallContext context) =>
        kraken.PrivateAsync(KrakenEndpoints.EarnDeallocateStatus, FundingMapping.Parameters(request), FundingMapping.ToEarnDeallocationStatus, context);
}
