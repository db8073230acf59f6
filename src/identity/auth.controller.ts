import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Public } from './access.decorators.js';
import { TokenService } from './token.service.js';
import { SignInRateLimited } from '../platform/rate-limit.js';

export class TokenRequestDto {
  @ApiProperty({ example: 'caseworker.social' }) @IsString() @Length(1, 100) username!: string;
  @ApiProperty() @IsString() @Length(1, 200) password!: string;
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
  token(@Body() body: TokenRequestDto) {
    return this.tokens.issue(body.username, body.password);
  }
}
