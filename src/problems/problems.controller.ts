import { Controller, Get, Header, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../identity/access.decorators.js';
import { isProblemKind } from '../platform/problem-catalogue.js';
import { problemIndex, problemPage } from './problem-pages.js';

const HTML_PAGE = { content: { 'text/html': { schema: { type: 'string' as const } } } };

/** The pages problem `type` URIs resolve to: open to anyone, since a caller who is not signed in gets problems too. */
@ApiTags('problems')
@Controller('problems')
export class ProblemsController {
  @Public()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOkResponse(HTML_PAGE)
  @ApiOperation({ summary: 'Every problem type the service answers with, linked to its page' })
  index(): string {
    return problemIndex();
  }

  @Public()
  @Get(':kind')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOkResponse(HTML_PAGE)
  @ApiOperation({ summary: "A problem type's page (the `type` of a problem answer): what it means and what to do" })
  page(@Param('kind') kind: string): string {
    if (!isProblemKind(kind)) throw new NotFoundException('there is no problem type of this name');
    return problemPage(kind);
  }
}
