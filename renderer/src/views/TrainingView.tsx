// Placeholder for the Training view (fine-tuning on the user's photos), which arrives with the
// training issue; the navigation slot and layout are reserved here.
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import SchoolIcon from '@mui/icons-material/School';

export function TrainingView() {
  return (
    <Box sx={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', p: 3 }}>
      <Paper variant="outlined" sx={{ p: 4, maxWidth: 520, textAlign: 'center' }}>
        <SchoolIcon sx={{ fontSize: 56, color: 'primary.main' }} />
        <Typography variant="h6" sx={{ mt: 1 }}>
          Fine-tune on your own photos
        </Typography>
        <Typography color="text.secondary" sx={{ mt: 1 }}>
          Teach a model your scanner, film stock or family archive, and see on held-out pictures whether it really does better before adopting it. Available in an upcoming version; until then use
          <code> restore train</code> on the command line.
        </Typography>
      </Paper>
    </Box>
  );
}
