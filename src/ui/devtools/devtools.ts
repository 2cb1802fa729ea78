import { createPanel } from '../../platform/devtools.ts';
import { message } from '../../platform/runtime.ts';

// This page has nothing on screen: a failure can only be told to whoever inspects it.
createPanel(message('extName'), 'icons/icon-32.png', 'src/ui/devtools/panel.html').catch((error: unknown) => console.error('CORS Lens: could not add the DevTools panel', error));
