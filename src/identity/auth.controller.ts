import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Public } from './access.decorators.js';
import { TokenService } from './token.service.js';
import { SignInRateLimited } from '../platform/rate-limit.js';
import { ApiProblems, oneOf, record, text } from '../platform/api-responses.js';

const TOKEN_ISSUED = record({
  access_token: text(),
  token_type: oneOf(['Bearer']),
  expires_in: { type: 'integer' },
  refresh_token: text(),
  refresh_expires_in: { type: 'integer' },
});

export class TokenRequestDto {
  @ApiProperty({ example: 'caseworker.social' }) @IsString() @Length(1, 100) username!: string;
  @ApiProperty() @IsString() @Length(1, 200) password!: string;
}

export class PasswordChangeDto {
  @ApiProperty({ example: 'caseworker.social' }) @IsString() @Length(1, 100) username!: string;
  @ApiProperty() @IsString() @Length(1, 200) currentPassword!: string;
  @ApiProperty({ minLength: 12, description: 'At least 12 characters, and not the current password' })
  @IsString()
  @Length(12, 200)
  newPassword!: string;
}

export class RefreshRequestDto {
  @ApiProperty() @IsString() @Length(1, 200) refresh_token!: string;
}

@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(private readonly tokens: TokenService) {}

  @Public()
  @SignInRateLimited()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a username and password; returns a short-lived bearer token' })
  @ApiOkResponse({ schema: TOKEN_ISSUED })
  @ApiProblems(400, 401, 'password-change-required', 429)
  token(@Body() body: TokenRequestDto) {
    return this.tokens.issue(body.username, body.password);
  }

  @Public()
  @SignInRateLimited()
  @Post('password')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Choose your own password: needed once after an initial password, and the way to change it later; your refresh tokens stop working',
  })
  @ApiNoContentResponse({ description: 'Your own password is set: sign in with it' })
  @ApiProblems(400, 401, 429)
  async changePassword(@Body() body: PasswordChangeDto): Promise<void> {
    await this.tokens.changePassword(body.username, body.currentPassword, body.newPassword);
  }

  @Public()
  @SignInRateLimited()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token (usable once) for a new access token and refresh token' })
  @ApiOkResponse({ schema: TOKEN_ISSUED })
  @ApiProblems(400, 401, 429)
  refresh(@Body() body: RefreshRequestDto) {
    return this.tokens.refresh(body.refresh_token);
  }

  @Public()
  @SignInRateLimited()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: the refresh token and every token refreshed from it stop working' })
  async logout(@Body() body: RefreshRequestDto): Promise<void> {
    await this.tokens.revoke(body.refresh_token);
  }
}
