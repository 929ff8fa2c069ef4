import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import { StaffCsrf } from './staff-csrf';
import type { StaffRequest } from './staff-access';
import { pageAfterSignIn, SignInIncompleteException } from './sign-in-stage';
import { errorPage } from './views/login.view';

/**
 * Errors of the HTML pages as pages: not signed in → the login page (303); anything else a short page
 * with the status and a plain sentence (Nest's messages here are written for people, in our code).
 */
@Catch(HttpException)
export class StaffPageFilter implements ExceptionFilter {
  constructor(@Inject(StaffCsrf) private readonly csrf: StaffCsrf) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>() as StaffRequest;
    const status = exception.getStatus();
    if (status === HttpStatus.UNAUTHORIZED) {
      res.redirect(303, '/staff/login');
      return;
    }
    if (exception instanceof SignInIncompleteException) {
      res.redirect(303, exception.next);
      return;
    }
    const body = exception.getResponse();
    const message = typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : exception.message;
    res.status(status).type('html').send(errorPage(this.csrf.token(req, res), status, message, req.staff ? pageAfterSignIn('full', req.staff.role) : null));
  }
}
