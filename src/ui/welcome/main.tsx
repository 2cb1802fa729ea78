import { render } from 'preact';
import { Welcome } from './Welcome.tsx';

const root = document.getElementById('app');
if (root) render(<Welcome />, root);
