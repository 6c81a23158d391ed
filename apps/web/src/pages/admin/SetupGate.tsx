/**
 * Leads a joint admin to the first-start setup (/setup) while the district is not set up
 * (GET /api/setup says `needed`); asked once per page load.
 */
import { useEffect, useState } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { SetupStatus } from '@choucha/api';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { PageSpinner } from '../../layout/AppLayout.tsx';

/** Asked once per page load; false once the setup is finished or put off ("later"). */
let setupNeeded: boolean | undefined;
export function putOffSetup(): void {
  setupNeeded = false;
}

export function SetupGate() {
  const { user } = useAuth();
  const location = useLocation();
  const [needed, setNeeded] = useState<boolean | undefined>(setupNeeded);
  const isAdmin = user?.role === 'joint_admin' && !user.mustChangePassword;
  useEffect(() => {
    if (!isAdmin || setupNeeded !== undefined) return;
    let live = true;
    api
      .get<SetupStatus>('/api/setup', { silent: true })
      .then((s) => {
        setupNeeded = s.needed;
        if (live) setNeeded(s.needed);
      })
      .catch(() => {
        setupNeeded = false;
        if (live) setNeeded(false);
      });
    return () => {
      live = false;
    };
  }, [isAdmin]);
  if (isAdmin && needed === undefined && setupNeeded === undefined) return <PageSpinner />;
  if (isAdmin && (setupNeeded ?? needed) && location.pathname !== '/setup')
    return <Navigate to="/setup" replace />;
  return <Outlet />;
}
