import { Controller, Get, Header, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { Allow, Public } from '../identity/access.decorators.js';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import { list, oneOf, record, text } from '../platform/api-responses.js';
import { ReceiptSigner } from './receipt-signer.js';
import { ReceiptsService } from './receipts.service.js';

const uuid = new ParseUUIDPipe({ version: undefined });

export class ReceiptQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    description: 'The receipt of the n-th withdrawal of the consent (1 = the first); without it, the consent as given',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  withdrawal?: number;
}

/** A Kantara consent receipt and its compact JWS; the receipt carries no personal data (the case id stands for the person). */
const SIGNED_RECEIPT = record(
  {
    event: oneOf(['given', 'withdrawal']),
    withdrawal: { type: 'integer', minimum: 1 },
    receipt: {
      ...record({
        version: text(),
        jurisdiction: text(),
        consentTimestamp: { type: 'integer' },
        consentReceiptID: text(),
        language: text(),
      }),
      additionalProperties: true,
    },
    jws: text({ description: 'The receipt signed as a compact JWS (EdDSA), checkable with GET /.well-known/jwks.json' }),
  },
  ['event', 'receipt', 'jws'],
);

@ApiTags('receipts')
@Controller('cases/:caseId/consents/:consentId')
export class ReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  @Get('receipt')
  @Allow('consent.receipt')
  @ApiOperation({
    summary:
      'Kantara consent receipt (v1.1.0) of the consent as given, or of one withdrawal, signed as a compact JWS (EdDSA); owning agency only',
  })
  @ApiOkResponse({ schema: SIGNED_RECEIPT })
  receipt(
    @Param('caseId', uuid) caseId: string,
    @Param('consentId', uuid) consentId: string,
    @Query() query: ReceiptQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.receipts.signed(caseId, consentId, principal, query.withdrawal);
  }

  @Get('receipts')
  @Allow('consent.receipt')
  @ApiOperation({ summary: 'Every receipt of the consent: as given, then one per withdrawal' })
  @ApiOkResponse({ schema: list(SIGNED_RECEIPT) })
  all(@Param('caseId', uuid) caseId: string, @Param('consentId', uuid) consentId: string, @CurrentPrincipal() principal: Principal) {
    return this.receipts.all(caseId, consentId, principal);
  }

  @Get('receipt.txt')
  @Allow('consent.receipt')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    headers: { 'Content-Language': { description: 'The language the receipt is written in', schema: text() } },
    content: { 'text/plain': { schema: text() } },
  })
  @ApiOperation({
    summary:
      "The receipt in plain words, to print or read out, in the consent's language (English and French written; any other: English, to be read out by the interpreter)",
  })
  async text(
    @Param('caseId', uuid) caseId: string,
    @Param('consentId', uuid) consentId: string,
    @Query() query: ReceiptQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { language, text } = await this.receipts.text(caseId, consentId, principal, query.withdrawal);
    response.setHeader('Content-Language', language);
    return text;
  }
}

/** The public key receipts are signed with, so anyone holding a receipt can check it without an account. */
@ApiTags('receipts')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly signer: ReceiptSigner) {}

  @Public()
  @Get('jwks.json')
  @Header('Content-Type', 'application/jwk-set+json; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({ summary: 'JWKS of the consent-receipt signing key (Ed25519, kid = RFC 7638 thumbprint)' })
  @ApiOkResponse({
    content: {
      'application/jwk-set+json': {
        schema: record({ keys: list(record({ kty: text(), crv: text(), x: text(), kid: text() }, ['kty', 'kid'])) }),
      },
    },
  })
  jwks() {
    return this.signer.jwks();
  }
}
